/**
 * A small multipart/form-data parser (RFC 7578). Own code rather than undici's Response.formData()
 * because the sandbox must see part headers exactly as sent (content-type of a file part, duplicate
 * fields) and report precise errors for malformed bodies. Binary-safe: parts stay Buffers.
 */

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export type MultipartResult = { ok: true; parts: MultipartPart[] } | { ok: false; reason: string };

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

export function readBoundary(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  return boundary && boundary.length <= 70 ? boundary : undefined;
}

function readParam(header: string, param: string): string | undefined {
  // Quoted values may contain ';' and escaped quotes; browsers percent-encode quotes in filenames.
  const pattern = new RegExp(`;\\s*${param}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, "i");
  const match = pattern.exec(header);
  if (!match) return undefined;
  const quoted = match[1];
  return quoted !== undefined ? quoted.replace(/\\(.)/g, "$1") : match[2];
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function parsePart(raw: Buffer): MultipartPart | string {
  const headerEnd = raw.indexOf(HEADER_END);
  if (headerEnd < 0) return "part without a header block";
  const headers = parseHeaders(raw.subarray(0, headerEnd).toString("utf8"));
  const disposition = headers.get("content-disposition");
  if (!disposition || !/^form-data\b/i.test(disposition))
    return "part without Content-Disposition: form-data";
  const name = readParam(disposition, "name");
  if (name === undefined || name === "") return "part without a name";
  const part: MultipartPart = { name, data: raw.subarray(headerEnd + HEADER_END.length) };
  const filename = readParam(disposition, "filename");
  if (filename !== undefined) part.filename = filename;
  const contentType = headers.get("content-type");
  if (contentType !== undefined) part.contentType = contentType;
  return part;
}

export function parseMultipart(body: Buffer, contentType: string): MultipartResult {
  const boundary = readBoundary(contentType);
  if (!boundary) return { ok: false, reason: "multipart body without a boundary parameter" };
  const delimiter = Buffer.from(`--${boundary}`);
  const first = body.indexOf(delimiter);
  if (first < 0) return { ok: false, reason: "multipart boundary not found in body" };
  // Each later delimiter is preceded by CRLF, which belongs to the delimiter, not to the part data.
  const separator = Buffer.concat([CRLF, delimiter]);
  const parts: MultipartPart[] = [];
  let cursor = first + delimiter.length;
  for (;;) {
    if (body.subarray(cursor, cursor + 2).toString("latin1") === "--") return { ok: true, parts };
    const lineEnd = body.indexOf(CRLF, cursor);
    if (lineEnd < 0) return { ok: false, reason: "truncated multipart body" };
    // Transport padding (spaces, tabs) may follow a delimiter before its CRLF.
    if (body.subarray(cursor, lineEnd).toString("latin1").trim() !== "") {
      return { ok: false, reason: "malformed multipart delimiter line" };
    }
    const start = lineEnd + CRLF.length;
    const next = body.indexOf(separator, start);
    if (next < 0) return { ok: false, reason: "multipart body without a closing boundary" };
    const part = parsePart(body.subarray(start, next));
    if (typeof part === "string") return { ok: false, reason: part };
    parts.push(part);
    cursor = next + separator.length;
  }
}

/** Log-friendly view: text fields as strings, files as {filename, size, type}; repeated names become arrays. */
export function summarizeParts(parts: MultipartPart[]): Record<string, unknown> {
  const summary: Record<string, unknown> = {};
  for (const part of parts) {
    const value =
      part.filename !== undefined
        ? { filename: part.filename, size: part.data.length, type: part.contentType ?? "" }
        : part.data.toString("utf8");
    const previous = summary[part.name];
    if (previous === undefined) summary[part.name] = value;
    else summary[part.name] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return summary;
}
