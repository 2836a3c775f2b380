import { afterEach } from "vitest";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../src/sandbox/server.js";

/** Fixed start; the default timeline queues 1 s and runs 2 s, so a task is done at START + 3000. */
export const START = 1_760_000_000_000;
export const DONE = START + 3000;

/**
 * A sandbox per test on a hand-moved clock (no real sleeps), closed after each test, for the hosted
 * platforms' dialect tests.
 */
export function usePlatformSandbox(): {
  open(options?: SandboxOptions): Promise<Sandbox>;
  setClock(ms: number): void;
} {
  let clock = START;
  const opened: Sandbox[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((sandbox) => sandbox.close()));
    clock = START;
  });
  return {
    async open(options = {}) {
      const sandbox = await startSandbox({ now: () => clock, ...options });
      opened.push(sandbox);
      return sandbox;
    },
    setClock(ms) {
      clock = ms;
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

/** One HTTP exchange; `auth` is the whole Authorization value (null sends none). */
export async function call(
  url: string,
  init: { method?: string; json?: unknown; auth?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth !== null && init.auth !== undefined) headers.Authorization = init.auth;
  const request: RequestInit = { headers, method: init.method ?? (init.json === undefined ? "GET" : "POST") };
  if (init.json !== undefined) {
    headers["Content-Type"] = "application/json";
    request.body = JSON.stringify(init.json);
  }
  const response = await fetch(url, request);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: the text itself is the body a test looks at.
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** GET of a video without any key, as a client must fetch a CDN URL. */
export async function download(url: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const response = await fetch(url);
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}
