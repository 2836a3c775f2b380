#!/usr/bin/env node
"use strict";
// CommonJS on purpose: Node starts a CommonJS entry (and the bundled CLI in dist/bundle/) faster
// than ES modules. `--version` alone (or -V, -v, `version`) is answered here before anything else
// loads (scripts call it to probe); fs.writeSync skips setting up process.stdout, which costs
// more than the answer.
const argv = process.argv;
const VERSION_ASKS = ["--version", "-V", "-v", "version"];
if (argv.length === 3 && VERSION_ASKS.includes(argv[2])) {
  try {
    require("node:fs").writeSync(1, `${require("../package.json").version}\n`);
  } catch (err) {
    // A reader that went away (`grokvid --version | true`) is not a failure.
    if (err.code !== "EPIPE") throw err;
  }
} else {
  require("../dist/bundle/main.cjs").main(argv.slice(2));
}
