import * as z from "../../util/zod.js";
import { closestMatch } from "../../util/did-you-mean.js";
import { type BatchField, batchFields } from "./fields.js";

export { type BatchField, batchFields } from "./fields.js";

export interface BatchLine {
  /** 1-based line number in the input file (for CSV: the physical line where the record starts; the header is line 1). */
  line: number;
  prompt: string;
  provider?: string;
  model?: string;
  duration?: string; // kept as text; numbers in JSON become their decimal string ("6"); validated later per provider
  ratio?: string;
  resolution?: string; // JSON number 720 -> "720"
  images: string[]; // JSON: "image" may be a string or an array of strings; CSV: one cell, several values separated by "|"
  /** `reference_images`, read like `images`; reference-to-video (xAI). */
  referenceImages?: string[];
  output?: string;
}
/** `message` says what is wrong without the `line N:` prefix; the caller renders that from `line`. */
export interface BatchLineError {
  line: number;
  message: string;
}
export interface ParsedBatch {
  format: "jsonl" | "csv";
  lines: BatchLine[];
  errors: BatchLineError[];
}

type Job = Omit<BatchLine, "line">;
type JobResult = { job: Job } | { error: string };

const optionalTextFields = ["provider", "model", "duration", "ratio", "resolution", "output"] as const;
const IMAGE_SEPARATOR = "|";

/** Detects the format: the first non-blank line starting with "{" means JSON lines, anything else CSV with a header. */
/** Job specs given as objects (the library's batch input), checked like lines of a JSON lines file. */
export function parseJobSpecs(specs: readonly unknown[]): ParsedBatch {
  return collect(
    "jsonl",
    specs.map((spec, index) => ({
      line: index + 1,
      result:
        typeof spec === "object" && spec !== null && !Array.isArray(spec)
          ? validateJob(spec)
          : { error: `not an object (found ${describeJson(spec)})` },
    })),
  );
}

export function parseBatchFile(text: string): ParsedBatch {
  // Normalising line ends up front lets both parsers (and quoted CSV cells) deal only with "\n".
  const normalized = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  return looksLikeJsonLines(normalized) ? parseJsonLines(normalized) : parseCsv(normalized);
}

function looksLikeJsonLines(text: string): boolean {
  // Comment lines are skipped so a JSONL file may open with one; no CSV header can start with "#" anyway.
  const first = text
    .split("\n")
    .map((line) => line.trim())
    .find((line) => line !== "" && !line.startsWith("#"));
  return first?.startsWith("{") ?? false;
}

// ---------- validation shared by both formats ----------

const nonBlank = (value: string): boolean => value.trim() !== "";

const optionalText = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .refine(nonBlank, { error: `${field} must not be empty` })
    .optional();

const optionalTextOrNumber = (field: string) =>
  z
    .union([z.string(), z.number()], { error: `${field} must be a string or a number` })
    .transform(String)
    .refine(nonBlank, { error: `${field} must not be empty` })
    .optional();

const optionalImages = (field: string) =>
  z
    .union([z.string().transform((value) => [value]), z.array(z.string())], {
      error: `${field} must be a string or an array of strings`,
    })
    .refine((list) => list.every(nonBlank), { error: `${field} must not contain empty values` })
    .optional();

/**
 * `"promt" (did you mean prompt?), "foo"`: each unknown field, with the one it was likely meant to
 * be (a JSON line may also say "images"; a CSV column may not).
 */
const quoteList = (names: readonly PropertyKey[], known: readonly string[]): string =>
  names
    .map((n) => {
      const meant = closestMatch(String(n), known);
      return `"${String(n)}"${meant === undefined ? "" : ` (did you mean ${meant}?)`}`;
    })
    .join(", ");

const jobSchema = z.strictObject(
  {
    prompt: z
      .string({
        error: (issue) => (issue.input === undefined ? "prompt is required" : "prompt must be a string"),
      })
      .refine(nonBlank, { error: "prompt must not be empty" }),
    provider: optionalText("provider"),
    model: optionalText("model"),
    duration: optionalTextOrNumber("duration"),
    ratio: optionalText("ratio"),
    resolution: optionalTextOrNumber("resolution"),
    image: optionalImages("image"),
    images: optionalImages("images"),
    reference_images: optionalImages("reference_images"),
    output: optionalText("output"),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown field${issue.keys.length > 1 ? "s" : ""} ${quoteList(issue.keys, [...batchFields, "images"])}`
        : undefined,
  },
);

function validateJob(raw: unknown): JobResult {
  const result = jobSchema.safeParse(raw);
  if (!result.success) return { error: result.error.issues.map((issue) => issue.message).join("; ") };
  const parsed = result.data;
  if (parsed.image !== undefined && parsed.images !== undefined) {
    return { error: 'give either "image" or "images", not both' };
  }
  const job: Job = { prompt: parsed.prompt, images: parsed.image ?? parsed.images ?? [] };
  if (parsed.reference_images !== undefined) job.referenceImages = parsed.reference_images;
  for (const key of optionalTextFields) {
    const value = parsed[key];
    if (value !== undefined) job[key] = value;
  }
  return { job };
}

function collect(format: ParsedBatch["format"], results: { line: number; result: JobResult }[]): ParsedBatch {
  const batch: ParsedBatch = { format, lines: [], errors: [] };
  for (const { line, result } of results) {
    if ("job" in result) batch.lines.push({ line, ...result.job });
    else batch.errors.push({ line, message: result.error });
  }
  return batch;
}

// ---------- JSON lines ----------

function parseJsonLines(text: string): ParsedBatch {
  const results = text.split("\n").flatMap((source, index) => {
    const trimmed = source.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return [];
    return [{ line: index + 1, result: parseJsonLine(trimmed) }];
  });
  return collect("jsonl", results);
}

function parseJsonLine(source: string): JobResult {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    // The SyntaxError text quotes the input, and a prompt can be long: keep the message to one short line.
    return { error: "not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { error: `not a JSON object (found ${describeJson(value)})` };
  }
  return validateJob(value);
}

const describeJson = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;

// ---------- CSV (RFC 4180) ----------

interface CsvRecord {
  line: number;
  cells: string[];
  error?: string;
}

function parseCsv(text: string): ParsedBatch {
  const [header, ...rows] = readCsvRecords(text).filter((record) => !isBlankRecord(record));
  if (header === undefined) return { format: "csv", lines: [], errors: [] };
  const columns = readHeader(header);
  if ("errors" in columns) return { format: "csv", lines: [], errors: columns.errors };
  const results = rows.map((row) => ({ line: row.line, result: csvRowToJob(columns.fields, row) }));
  return collect("csv", results);
}

function isBlankRecord(record: CsvRecord): boolean {
  return record.error === undefined && record.cells.length === 1 && !nonBlank(record.cells[0] ?? "");
}

function isBatchField(name: string): name is BatchField {
  return batchFields.some((field) => field === name);
}

function readHeader(header: CsvRecord): { fields: BatchField[] } | { errors: BatchLineError[] } {
  const line = header.line;
  if (header.error !== undefined) return { errors: [{ line, message: `header: ${header.error}` }] };
  const names = header.cells.map((cell) => cell.trim().toLowerCase());
  const fields: BatchField[] = [];
  const messages: string[] = [];
  const unknown = names.filter((name) => name !== "images" && !isBatchField(name));
  if (unknown.length > 0) {
    messages.push(`unknown column${unknown.length > 1 ? "s" : ""} ${quoteList(unknown, batchFields)}`);
  }
  for (const name of names) {
    const field = name === "images" ? "image" : name;
    if (!isBatchField(field)) continue;
    if (fields.includes(field)) messages.push(`duplicate column "${name}"`);
    fields.push(field);
  }
  if (!fields.includes("prompt")) messages.push('missing the "prompt" column');
  return messages.length > 0 ? { errors: messages.map((message) => ({ line, message })) } : { fields };
}

function csvRowToJob(fields: BatchField[], row: CsvRecord): JobResult {
  if (row.error !== undefined) return { error: row.error };
  if (row.cells.length > fields.length) {
    return { error: `${row.cells.length} cells but the header has ${fields.length} columns` };
  }
  const raw: Record<string, unknown> = {};
  fields.forEach((field, index) => {
    // Cells are trimmed so "a, b" style files work; an empty cell means "not given".
    const cell = row.cells[index]?.trim() ?? "";
    if (cell === "") return;
    raw[field] = field === "image" || field === "reference_images" ? splitImages(cell) : cell;
  });
  return validateJob(raw);
}

function splitImages(cell: string): string[] {
  return cell
    .split(IMAGE_SEPARATOR)
    .map((value) => value.trim())
    .filter(nonBlank);
}

/** Splits normalised ("\n"-only) text into records, tracking the physical line each starts on. */
function readCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    const record: CsvRecord = { line, cells: [] };
    records.push(record);
    for (;;) {
      const cell = readCell(text, pos);
      if (cell === undefined) {
        // An open quote swallows the rest of the file, so nothing after it can be trusted.
        record.error = "unterminated quoted field";
        return records;
      }
      record.cells.push(cell.value);
      line += cell.newlines;
      pos = cell.end;
      const next = text[pos];
      if (next === ",") {
        pos += 1;
        continue;
      }
      if (next !== undefined && next !== "\n") {
        // Only a closing quote can stop a cell elsewhere; resume at the next physical line.
        record.error = "unexpected text after a closing quote";
        const lineEnd = text.indexOf("\n", pos);
        pos = lineEnd === -1 ? text.length : lineEnd;
      }
      if (text[pos] === "\n") line += 1;
      pos += 1;
      break;
    }
  }
  return records;
}

/** One cell from `start`: its value, where it ends and how many line breaks it holds; undefined if a quote never closes. */
function readCell(text: string, start: number): { value: string; end: number; newlines: number } | undefined {
  if (text[start] !== '"') {
    const match = /[,\n]/g;
    match.lastIndex = start;
    const end = match.exec(text)?.index ?? text.length;
    return { value: text.slice(start, end), end, newlines: 0 };
  }
  let value = "";
  let pos = start + 1;
  for (;;) {
    const close = text.indexOf('"', pos);
    if (close === -1) return undefined;
    value += text.slice(pos, close);
    if (text[close + 1] !== '"') return { value, end: close + 1, newlines: value.split("\n").length - 1 };
    value += '"';
    pos = close + 2;
  }
}
