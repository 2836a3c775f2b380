/**
 * The executable's entry. `--version` alone answers before anything else loads, and the process
 * leaves as soon as the command is done: undici's WebAssembly parser would otherwise keep it
 * alive for a few hundred milliseconds while V8 optimises it. Writes to stdout and stderr are
 * synchronous for files, pipes and terminals on Linux and macOS, so nothing printed is lost.
 */
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  const { VERSION } = await import("./version.js");
  process.stdout.write(`${VERSION}\n`);
} else {
  const { processRuntime, run } = await import("./cli.js");
  process.exitCode = await run(argv, processRuntime());
  process.exit();
}
