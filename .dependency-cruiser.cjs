/**
 * The layers of design.md, checked on every `npm run lint`:
 *   shells (src/cli, src/commands, src/ui, src/mcp) -> the library entry (src/index.ts) ->
 *   core -> {providers, http, config} -> files, util
 * The simulator (src/sandbox, entry src/sandbox/index.ts) is its own entry, which the library
 * never imports. The MCP SDK is imported by src/mcp alone. No cycles, type-only imports included (tsPreCompilationDeps).
 * test/unit/architecture.test.ts runs these rules on small fixture trees that break each one.
 */
const SHELLS = "^src/(cli|commands|ui|mcp)/";
const LIBRARY = "^src/(core|providers|http|config|files|util)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment:
        "An import cycle, type-only ones included, means a type or a function lives in the wrong file.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "shells-use-the-entry",
      comment:
        "The CLI and the MCP server are shells over the library: they import its public entry (src/index.ts, or src/sandbox/index.ts for the simulator), never its internals.",
      severity: "error",
      from: { path: SHELLS },
      to: { path: "^src/(core|providers|http|config|files)/" },
    },
    {
      name: "shells-use-the-sandbox-entry",
      comment: "The simulator is used through its own entry, src/sandbox/index.ts.",
      severity: "error",
      from: { path: SHELLS },
      to: { path: "^src/sandbox/", pathNot: "^src/sandbox/index\\.ts$" },
    },
    {
      name: "config-depends-on-nothing-above-it",
      comment: "config/ is below core/: it may use files/ and util/, never the use cases above it.",
      severity: "error",
      from: { path: "^src/config/" },
      to: { path: "^src/(core|cli|commands|ui|mcp|sandbox)/|^src/index\\.ts$" },
    },
    {
      name: "library-never-imports-a-shell",
      comment: "The library never prints and never exits: it reports through callbacks and typed errors.",
      severity: "error",
      from: { path: `${LIBRARY}|^src/index\\.ts$` },
      to: { path: `${SHELLS}` },
    },
    {
      name: "library-never-imports-the-sandbox",
      comment: "The simulator is its own entry: a shell hands the library what it needs of it.",
      severity: "error",
      from: { path: `${LIBRARY}|^src/index\\.ts$` },
      to: { path: "^src/sandbox/" },
    },
    {
      name: "only-the-mcp-shell-speaks-mcp",
      comment:
        "The MCP SDK belongs to the MCP server (src/mcp) alone: the library, the CLI and the simulator never load it.",
      severity: "error",
      from: { pathNot: "^src/mcp/" },
      to: { path: "@modelcontextprotocol/sdk" },
    },
    {
      name: "providers-http-config-below-core",
      comment: "Provider modules, the HTTP client and the configuration never reach up into the use cases.",
      severity: "error",
      from: { path: "^src/(providers|http|config|files|util)/" },
      to: { path: "^src/core/" },
    },
    {
      name: "files-and-util-at-the-bottom",
      comment: "files/ and util/ are leaves: they import nothing of grokvid's above them.",
      severity: "error",
      from: { path: "^src/(files|util)/" },
      to: { path: "^src/", pathNot: "^src/(files|util)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)dist/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".cjs"] },
  },
};
