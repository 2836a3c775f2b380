import { UsageError } from "../index.js";
import { taskStatuses } from "../index.js";
import * as z from "../util/zod.js";

/**
 * The tools' arguments, read with zod: an agent's JSON is outside data like any gateway's answer.
 * A value of the wrong type, an unknown field or a number out of range is a usage error that
 * names the field; what the values mean (a duration the model takes, a provider's ratios) is
 * checked after, by the library, exactly as the command line's flags are.
 */

const text = z.string();
const wholeOrText = z.union([z.number().int(), z.string()]);
const id = z.string().min(1);

const jobFields = {
  prompt: text,
  provider: z.string().optional(),
  model: z.string().optional(),
  duration: wholeOrText.optional(),
  ratio: z.string().optional(),
  resolution: wholeOrText.optional(),
  image: z.union([z.string(), z.array(z.string())]).optional(),
  reference_images: z.array(z.string()).optional(),
};

/** Seconds a call may wait, 0 to the server's bound. */
const waitSeconds = (max: number) => z.number().int().min(0).max(max).optional();

export function argumentSchemas(maxWaitSeconds: number) {
  return {
    create_video: z.strictObject({ ...jobFields, wait_seconds: waitSeconds(maxWaitSeconds) }),
    estimate_cost: z.strictObject(jobFields),
    get_job: z.strictObject({ id, provider: z.string().optional() }),
    wait_job: z.strictObject({
      id,
      provider: z.string().optional(),
      wait_seconds: waitSeconds(maxWaitSeconds),
    }),
    download_job: z.strictObject({
      id,
      provider: z.string().optional(),
      path: z.string().min(1).optional(),
      wait_seconds: waitSeconds(maxWaitSeconds),
    }),
    list_jobs: z.strictObject({
      provider: z.string().optional(),
      status: z.enum(taskStatuses).optional(),
      limit: z.number().int().min(1).max(100).optional(),
    }),
    cancel_job: z.strictObject({ id, provider: z.string().optional() }),
    list_providers: z.strictObject({}),
    balance: z.strictObject({ provider: z.string().optional() }),
  } as const;
}

export type ArgumentSchemas = ReturnType<typeof argumentSchemas>;
export type ToolName = keyof ArgumentSchemas;
export type Args<T extends ToolName> = z.infer<ArgumentSchemas[T]>;

/** What a JSON value is, in a message: "a string", "a number", "true", "a list", "an object", "null". */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "object") return "an object";
  return typeof value === "number" && !Number.isInteger(value) ? "a fraction" : `a ${typeof value}`;
}

/** The value at a path of the arguments, to say what was given instead. */
function at(args: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = args;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = Reflect.get(value, key);
  }
  return value;
}

/** What a field of this tool takes, for the message about a wrong type. */
const EXPECTED: Readonly<Record<string, string>> = {
  duration: 'a whole number of seconds (or text such as "6s")',
  resolution: 'a resolution such as "720p" (or 720)',
  image: "a URL, a data: URI or a local path, or a list of them",
  reference_images: "a list of URLs, data: URIs or local paths",
  wait_seconds: "a whole number of seconds",
  limit: "a whole number",
  status: `one of ${taskStatuses.join(", ")}`,
};

/** As much of a zod issue as a message needs. */
type Issue = { code: string; path: readonly PropertyKey[] } & object;

const numberIn = (issue: Issue, key: "minimum" | "maximum"): string => String(Reflect.get(issue, key) ?? "?");

function describe(issue: Issue, args: unknown, tool: string, fields: readonly string[]): string {
  const field = issue.path.map(String).join(".") || `the arguments of ${tool}`;
  const top = String(issue.path[0] ?? "");
  if (issue.code === "unrecognized_keys") {
    const keys = "keys" in issue && Array.isArray(issue.keys) ? issue.keys.map(String) : [];
    return `${tool} has no field ${keys.join(", ")}; its fields are: ${fields.join(", ") || "none"}`;
  }
  const given = at(args, issue.path);
  if (given === undefined && issue.path.length > 0) return `${field} is required`;
  if (issue.code === "too_small" || issue.code === "too_big") {
    if (typeof given === "string") return `${field} must not be empty`;
    const bound =
      issue.code === "too_small"
        ? `at least ${numberIn(issue, "minimum")}`
        : `at most ${numberIn(issue, "maximum")}`;
    return `${field} must be ${bound} (got ${JSON.stringify(given)})`;
  }
  // Every other field is text; an empty path is the arguments themselves.
  const expected = EXPECTED[top] ?? (issue.path.length > 0 ? "text" : "an object of named fields");
  const inList = issue.path.length > 1 ? " in the list" : "";
  return `${field} must be ${expected}; got ${kindOf(given)}${inList}`;
}

/** The tool's arguments, typed, or a usage error naming the field that is wrong. */
export function readArguments<T extends ToolName>(schemas: ArgumentSchemas, tool: T, args: unknown): Args<T> {
  const schema = schemas[tool];
  const parsed = schema.safeParse(args ?? {});
  if (parsed.success) return parsed.data as Args<T>;
  const issue: Issue = parsed.error.issues[0] ?? { code: "custom", path: [] };
  const field = String(issue.path[0] ?? "");
  const fields = Object.keys(schema.shape);
  throw new UsageError(describe(issue, args ?? {}, tool, fields), field ? { option: field } : {});
}
