import type { MultipartField, RequestSpec } from "../../src/providers/types.js";

/** The JSON body of a request description; fails the test when the body is not JSON. */
export function jsonBody(spec: RequestSpec): unknown {
  if (spec.body?.kind !== "json") throw new Error(`expected a JSON body, got ${spec.body?.kind ?? "none"}`);
  return spec.body.value;
}

/** The multipart fields of a request description; fails the test when the body is not multipart. */
export function multipartFields(spec: RequestSpec): readonly MultipartField[] {
  if (spec.body?.kind !== "multipart") {
    throw new Error(`expected a multipart body, got ${spec.body?.kind ?? "none"}`);
  }
  return spec.body.fields;
}

/** Runs `fn`, which must throw, and returns what it threw. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to throw");
}

/** Like `thrown`, for async functions. */
export async function rejected(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to reject");
}

/** `thrown`, narrowed to an error class so its fields can be read without casts. */
export function thrownAs<T>(ctor: abstract new (...args: never[]) => T, fn: () => unknown): T {
  const err = thrown(fn);
  if (!(err instanceof ctor)) throw new Error(`expected ${ctor.name}, got ${String(err)}`);
  return err;
}

export const NOW = new Date("2026-01-02T03:04:05.000Z");
