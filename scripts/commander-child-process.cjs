// What commander's `require("node:child_process")` resolves to in the CLI bundle (see
// scripts/bundle-cli.mjs): commander needs child_process only to run executable subcommands,
// which grokvid never declares, and loading it (with net, dgram and streams) on every start-up
// was ~10% of a dry run. Each export is the real one, looked up when it is first read.
"use strict";

for (const name of [
  "ChildProcess",
  "exec",
  "execFile",
  "execFileSync",
  "execSync",
  "fork",
  "spawn",
  "spawnSync",
  "_forkChild",
]) {
  Object.defineProperty(exports, name, {
    enumerable: true,
    get: () => require("node:child_process")[name],
  });
}
