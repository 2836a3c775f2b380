import { processRuntime, run } from "./cli.js";
import { preferBaselineWasm } from "./http/wasm-tier.js";

/**
 * The executable's entry, bundled by scripts/bundle-cli.mjs into dist/cli/ (CommonJS chunks, one
 * per lazily loaded part) and required by bin/grokvid.cjs. The process leaves as soon as the command
 * is done: undici's WebAssembly parser would otherwise keep it alive for a few hundred milliseconds
 * while V8 optimises it. Writes to stdout and stderr are synchronous for files, pipes and terminals
 * on Linux and macOS, so nothing printed is lost.
 */
export function main(argv: readonly string[]): void {
  preferBaselineWasm();
  void run(argv, processRuntime()).then((code) => {
    process.exitCode = code;
    process.exit();
  });
}
