import * as z from "../util/zod.js";

export interface ValidationIssue {
  /** Top-level field name, "" for the body itself. */
  param: string;
  message: string;
}

export type Validation<T> = { ok: true; data: T } | { ok: false; issue: ValidationIssue };

/** Gateways report one problem at a time, so only the first zod issue is surfaced. */
export function validateBody<T>(schema: z.ZodType<T>, value: unknown): Validation<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  const first = result.error.issues[0];
  const head = first?.path[0];
  // A strict object's unknown top-level field has an empty path: the field itself is what to name.
  const unknown = first?.code === "unrecognized_keys" ? first.keys[0] : undefined;
  return {
    ok: false,
    issue: {
      param: typeof head === "string" ? head : (unknown ?? ""),
      message: first?.message ?? "invalid request body",
    },
  };
}

/** zod's `error` callback: distinguishes a missing field from a wrongly typed one. */
export function describeTypeError(field: string, expected: string): (issue: { input: unknown }) => string {
  return (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be ${expected}`);
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

const DATA_IMAGE_URI = /^data:image\/[a-z0-9.+-]+;base64,([A-Za-z0-9+/_-]+={0,2})$/i;

export function isImageDataUri(value: string): boolean {
  const match = DATA_IMAGE_URI.exec(value.replace(/\s+/g, ""));
  return match !== null && Buffer.from(match[1] ?? "", "base64").length > 0;
}

export function requiredPrompt(field = "prompt"): z.ZodString {
  return z
    .string({ error: describeTypeError(field, "a string") })
    .refine((text) => text.trim() !== "", { error: `${field} must not be empty` });
}

/** A whole number given as a JSON number or as a numeric string ("6"). */
export function wholeNumberish(field: string): z.ZodType<number, unknown> {
  const message = `${field} must be a whole number of seconds, e.g. "6"`;
  return z.union([z.number(), z.string()], { error: message }).transform((value, ctx) => {
    const text = typeof value === "number" ? String(value) : value.trim();
    if (!/^\d+$/.test(text)) {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    return Number(text);
  });
}
