import { GrokvidError, type NormalizedTask, UsageError } from "../index.js";
import { redact } from "../util/redact.js";
import { stripTerminalControls } from "../util/untrusted.js";

/** A `tools/call` result: a short text for people and models, the same facts as structured data. */
export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: "text"; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** Every string of a result passes here: a key that slipped into a gateway's message never leaves. */
function scrub(value: unknown): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map(scrub);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
  }
  return value;
}

export function success(structured: Record<string, unknown>, text: string): ToolResult {
  const structuredContent = Object.fromEntries(Object.entries(structured).map(([k, v]) => [k, scrub(v)]));
  return { content: [{ type: "text", text: redact(text) }], structuredContent };
}

/** The task an agent needs: no raw gateway answer (large, and the gateway's business), no links. */
export function taskView(task: NormalizedTask): Record<string, unknown> {
  return {
    id: task.id,
    provider: task.provider,
    model: task.model,
    status: task.status,
    progress: task.progress,
    videoUrl: task.videoUrl,
    error: task.error,
    cost: task.cost ?? null,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}

/** The last task a wait's timeout carries (typed `unknown` on the error) is a normalized task. */
export function isTask(value: unknown): value is NormalizedTask {
  return typeof value === "object" && value !== null && "id" in value && "status" in value;
}

/** "task_1 on xai: running 45%", "task_1 on xai: failed (moderated: ...)". */
export function describeTask(task: NormalizedTask): string {
  const progress = task.status === "running" && task.progress !== null ? ` ${task.progress}%` : "";
  const error = task.error ? ` (${task.error.code ? `${task.error.code}: ` : ""}${task.error.message})` : "";
  const cost = task.cost ? `, cost ${task.cost.estimate ? "~" : ""}$${task.cost.usd.toFixed(2)}` : "";
  return `${task.id} on ${task.provider}: ${task.status}${progress}${error}${cost}`;
}

/**
 * The library names the option a usage error is about as it calls it (`referenceImage`), and some
 * messages name the command line's flags (`--image`); an agent sees the tool's field names.
 */
const FIELD_OF_OPTION: Readonly<Record<string, string>> = { referenceImage: "reference_images" };

function asFieldWords(message: string, option: string | undefined): string {
  let out = message
    .replace(/--reference-image\b/g, "reference_images")
    .replace(/--(prompt|model|duration|ratio|resolution|image|provider)\b/g, "$1");
  const field = option === undefined ? undefined : FIELD_OF_OPTION[option];
  if (option !== undefined && field !== undefined) {
    out = out.replace(new RegExp(`(?<![\\w-])${option}(?![\\w-])`), field);
  }
  return out;
}

/**
 * A failed call, as MCP wants it: a result with isError and grokvid's one-line message (and its
 * hint), never a stack trace. An error that is not grokvid's is a bug, said as such.
 */
export function failure(err: unknown): ToolResult {
  const message =
    err instanceof GrokvidError
      ? asFieldWords(err.message, err instanceof UsageError ? err.option : undefined) +
        (err.hint ? ` (${err.hint})` : "")
      : `internal error: ${err instanceof Error ? err.message : String(err)}`;
  const line = stripTerminalControls(message).replace(/\s*\n\s*/g, " ");
  return { content: [{ type: "text", text: redact(line) }], isError: true };
}
