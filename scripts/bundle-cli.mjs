// Bundles the CLI (src/cli/main.ts and everything it imports) into dist/bundle/ as CommonJS chunks:
// Node starts a few CommonJS files far faster than ~50 ES modules and their resolution, and each
// part a command may not need (the batch engine, the download writer, the sandbox, the spinner) stays in
// its own chunk, loaded when first imported. Source maps point at src/. The library (`grokvid`)
// is tsc's ES module output and is not bundled.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * commander requires node:child_process when it loads, for executable subcommands, which grokvid
 * never declares: its import resolves to scripts/commander-child-process.cjs, which loads the
 * module on the first call. Only commander's import: grokvid's own uses load it themselves, late.
 */
function commanderChildProcess() {
  const shim = fileURLToPath(new URL("./commander-child-process.cjs", import.meta.url));
  return {
    name: "commander-child-process",
    resolveId(source, importer) {
      const fromCommander = importer !== undefined && /[\\/]node_modules[\\/]commander[\\/]/.test(importer);
      return fromCommander && source === "node:child_process" ? shim : null;
    },
  };
}

/** The CLI's version is written in at build time: finding and parsing package.json cost ~2 ms a start. */
function inlineVersion() {
  const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  return {
    name: "inline-version",
    load(id) {
      if (!/[\\/]src[\\/]util[\\/]version\.ts$/.test(id)) return null;
      return `export const VERSION = ${JSON.stringify(version)};`;
    },
  };
}

await build({
  cwd: root,
  input: { main: "src/cli/main.ts" },
  platform: "node",
  // undici is bundled too, from its public entry, into a chunk of its own that a command loads
  // where it first needs it (a batch, a video body): one file instead of its ~110 modules to find
  // and read (about 50 ms on Node 20). cosmiconfig's optional TypeScript loader needs the typescript
  // package, which only a .ts config file asks for.
  // The MCP SDK (for `grokvid mcp` alone) is loaded from node_modules as it is: bundling it would
  // pull its zod builds into the zod chunk every other command loads. So is pg, for a shared
  // journal alone: its optional native binding is a require the bundler would try to resolve.
  external: ["typescript", /^@modelcontextprotocol\/sdk(\/|$)/, /^pg(\/|$)/],
  resolve: { extensionAlias: { ".js": [".ts", ".js"] } },
  logLevel: "warn",
  // The library (tsc's output, not bundled) imports many modules lazily so a script that asks for a
  // status never loads the batch engine; some of them are also imported statically elsewhere in the
  // CLI's graph, where the lazy import cannot split a chunk. That is expected here and harmless (the
  // chunks are grouped on purpose below), so rolldown's note about it is not printed at every
  // `npm ci`; every other warning still is.
  onLog(level, log, handle) {
    if (log.code === "INEFFECTIVE_DYNAMIC_IMPORT") return;
    handle(level, log);
  },
  plugins: [commanderChildProcess(), inlineVersion()],
  // grokvid's own modules do nothing when imported but define things, so a command that imports
  // one name from the library's entry (src/index.ts) does not load every module the entry lists.
  treeshake: { moduleSideEffects: (id, external) => external || /[\\/]node_modules[\\/]/.test(id) },
  output: {
    // Elsewhere only for the test that checks a build prints nothing (test/unit/bundle-log.test.ts).
    dir: process.env.GROKVID_BUNDLE_DIR ?? "dist/bundle",
    format: "cjs",
    entryFileNames: "[name].cjs",
    chunkFileNames: "[name]-[hash].cjs",
    sourcemap: true,
    // Node 20 compiles every chunk from source on every start (there is no compile cache before
    // Node 22), and compiling is most of a dry run. Fewer characters to scan: no comments (licence
    // notices kept), no indentation, short local names (function and class names are kept: errors are named by
    // them), and ASCII only, which V8 scans as one-byte text (one "…" made a chunk two-byte).
    // Nothing is rewritten or reordered (no compression): the code runs as written.
    charset: "ascii",
    comments: { legal: true, annotation: false, jsdoc: false },
    minify: { compress: false, mangle: { keepNames: true }, codegen: { removeWhitespace: true } },
    // What a start-up runs (flags, the config scan, the providers' limits and requests, output,
    // a dry run) is one chunk: each extra file costs a read and a compile. What shows a job's
    // result (status, and create once it sends) is a second; heavy parts stay apart, loaded when
    // first used. The whole program (help texts, setup and review commands) is loaded by the lines
    // that need it (src/cli/start-program.ts). A module a group's member imports statically joins
    // the group.
    codeSplitting: {
      groups: [
        { name: "zod", test: /[\\/]node_modules[\\/]zod[\\/]/ },
        // The entry enables Node's compile cache (src/cli/compile-cache.ts) before it loads the
        // rest, in a folder env-paths finds: that much is a chunk of its own, loaded first.
        // cosmiconfig's own (CommonJS) copy of env-paths goes with cosmiconfig, loaded only where
        // a config file is found.
        {
          name: "cache-dir",
          test: /[\\/](src[\\/]cli[\\/]compile-cache\.ts|(?<!cosmiconfig[\\/])node_modules[\\/]env-paths[\\/].*)$/,
        },
        {
          name: "common",
          test: /[\\/]src[\\/](index|cli[\\/](run|start-program|program-core|program-jobs|program-options|commander-text)|util[\\/](errors|redact|version|task-status|untrusted|duration|did-you-mean|env|paths)|commands[\\/](cli-output|create|stdin|prompt)|config[\\/](choices|gateway-spec|load|quick-scan|resolve|home|selection|sourced|download-template|base-url|key-source|keys-file|user-files|config-file|config-search|known-secrets)|providers[\\/](specs|types|[\w-]+-spec)|http[\\/](limits|encode)|ui[\\/](output|color)|files[\\/]state-file|core[\\/](journal[\\/]file-name|client[\\/](client|context|settings|event-queue)|gateway[\\/]resolve-gateway|jobs[\\/](preview|validate-create|validate-images|value-source|load-images)|setup[\\/]setup-calls))(\.ts)?$|[\\/]node_modules[\\/]commander[\\/]/,
        },
        // What shows a job's result (status lines, saved paths, exit codes): loaded by the commands that have one.
        {
          name: "results",
          test: /[\\/]src[\\/](commands[\\/](status|ids|render|submit-job)|core[\\/](jobs[\\/](outcome|task-id)|download[\\/](output-plan|output-path))|ui[\\/](status-display|download-meter|task-line)|util[\\/]format)\.ts$/,
        },
      ],
    },
  },
});
