import { Readable, Writable } from "node:stream";
import { run } from "../../src/cli.js";

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
    env: { NO_COLOR: "1", ...opts.env },
    cwd: opts.cwd,
    signal: new AbortController().signal,
    stdin: Readable.from([opts.stdin ?? ""]),
  });
  return { code, stdout: out.text(), stderr: err.text() };
}
