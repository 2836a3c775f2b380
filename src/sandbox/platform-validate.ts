import type * as z from "../util/zod.js";
import { isHttpUrl } from "./validate.js";

/** One problem with a create body, in the terms every platform's error body can be built from. */
export interface FieldIssue {
  /** The path to the field, e.g. ["duration"] or ["frame_images", 0, "image_url"]. */
  path: (string | number)[];
  message: string;
  /** Pydantic's words, which fal and Replicate (both Python) answer with: missing, extra_forbidden, value_error. */
  type: "missing" | "extra_forbidden" | "value_error";
}

export type Checked<T> = { ok: true; data: T } | { ok: false; issues: FieldIssue[] };

/** Every issue, not just the first: fal's 422 and Replicate's invalid_fields list them all. */
export function checkFields<T>(schema: z.ZodType<T>, value: unknown): Checked<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  const issues: FieldIssue[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.filter((part): part is string | number => typeof part !== "symbol");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        issues.push({ path: [...path, key], message: `unknown field ${key}`, type: "extra_forbidden" });
    } else {
      const missing = issue.code === "invalid_type" && issue.input === undefined;
      issues.push({ path, message: issue.message, type: missing ? "missing" : "value_error" });
    }
  }
  return { ok: false, issues };
}

const DATA_URI = /^data:[a-z0-9.+-]+\/[a-z0-9.+-]+(;[a-z0-9=.+-]+)*;base64,[A-Za-z0-9+/_-]+={0,2}$/i;

/** The platforms take file inputs as public URLs or data: URIs (providers.md 10a, 10b). */
export function isFileInput(value: string): boolean {
  return isHttpUrl(value) || DATA_URI.test(value.replace(/\s+/g, ""));
}

export const FILE_INPUT_MESSAGE = "must be an http(s) URL or a base64 data: URI";
