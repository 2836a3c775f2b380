import { processRuntime, run } from "./cli.js";

const code = await run(process.argv.slice(2), processRuntime());
process.exitCode = code;
// A handle left open by a library must not keep a finished command alive.
setTimeout(() => process.exit(code), 2000).unref();
