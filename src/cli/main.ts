import { enableCompileCache } from "./compile-cache.js";
import type { StandardStream } from "../ui/direct-stream.js";

/**
 * The executable's entry, bundled by scripts/bundle-cli.mjs into dist/bundle/ (CommonJS chunks, one
 * per lazily loaded part) and required by bin/grokvid.cjs. The rest of the CLI is imported after
 * Node's compile cache is enabled, so that it covers it. The process leaves as soon as the command
 * is done and what it printed has been handed over: undici's WebAssembly parser would otherwise
 * keep it alive for a few hundred milliseconds while V8 optimises it.
 */
export function main(argv: readonly string[]): void {
  enableCompileCache();
  void import("./run.js").then(async ({ exitCodeAfter, processRuntime, run }) => {
    const runtime = processRuntime();
    const code = await run(argv, runtime);
    process.exitCode = exitCodeAfter(code, runtime.stoppedBy());
    exitWhenFlushed([runtime.stdout, runtime.stderr]);
  });
}

/**
 * A pipe takes 64 KiB at once; the rest of a longer answer waits in the stream until the reader
 * catches up, and process.exit() would drop it (`grokvid jobs --json | jq` got 64 KiB). An empty
 * write's callback runs once everything queued before it is written, or the stream failed (a
 * reader that went away: nothing more can be delivered).
 */
export function exitWhenFlushed(streams: readonly StandardStream[]): void {
  let pending = streams.length;
  const done = (): void => {
    pending -= 1;
    if (pending === 0) process.exit();
  };
  for (const stream of streams) {
    if (stream.destroyed || stream.writableLength === 0) done();
    else stream.write("", done);
  }
}
