import { Readable, Writable } from "node:stream";
import { run } from "../../src/cli/run.js";
import type { Clock } from "../../src/core/client/context.js";
import { testJournalEnv } from "./run-cli.js";

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

function collector(): { stream: Writable & { isTTY: boolean }; text: () => string } {
  let text = "";
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        text += chunk.toString();
        done();
      },
    }),
    { isTTY: false },
  );
  return { stream, text: () => text };
}

/**
 * A clock that never waits: every sleep moves it forward at once, so retries, backoff and
 * polling run at full speed while every deadline still comes in its turn.
 */
export function virtualClock(start = Date.now()): Clock {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      now += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
    random: () => 0.5,
  };
}

/** The whole CLI in this process: for property tests that run thousands of command lines. */
export async function runInProcess(
  argv: readonly string[],
  opts: { env: Record<string, string>; cwd: string; stdin?: string },
): Promise<InProcessResult> {
  const out = collector();
  const err = collector();
  const code = await run(argv, {
    stdout: out.stream,
    stderr: err.stream,
    env: { NO_COLOR: "1", ...testJournalEnv(), ...opts.env },
    cwd: opts.cwd,
    signal: new AbortController().signal,
    stdin: Readable.from([opts.stdin ?? ""]),
    clock: virtualClock(),
  });
  return { code, stdout: out.text(), stderr: err.text() };
}
