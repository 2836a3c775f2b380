// Bundles the CLI (src/cli-main.ts and everything it imports) into dist/cli/ as CommonJS chunks:
// Node starts a few CommonJS files far faster than ~50 ES modules and their resolution, and each
// part a command may not need (the batch engine, the download writer, the sandbox, the spinner) stays in
// its own chunk, loaded when first imported. Source maps point at src/. The library (`grokvid`)
// is tsc's ES module output and is not bundled.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Modules that no start-up runs, required where the code first touches them rather than when the
 * chunk loads: zod (its own chunk: only a parsed answer or config needs it), node:fs/promises, node:timers/promises and
 * node:child_process, which commander requires for external subcommands grokvid never declares
 * (with net and dgram). Together they were ~6 ms of every start. Every use in the output is a
 * property read (`mod.fn(...)`), so a proxy that requires on the first read keeps the semantics.
 * It is written on one line in place of the `require(...)`: the source maps stay true.
 */
const LAZY = /require\("(\.\/zod-[\w-]+\.cjs|node:fs\/promises|node:timers\/promises|node:child_process)"\)/g;
const lazyRequire = (id) =>
  `((m) => new Proxy({}, { get: (_, k) => (m ??= require(${id}))[k], has: (_, k) => k in (m ??= require(${id})), ` +
  `ownKeys: () => Reflect.ownKeys(m ??= require(${id})), getOwnPropertyDescriptor: (_, k) => { ` +
  `const d = Reflect.getOwnPropertyDescriptor(m ??= require(${id}), k); return d && { ...d, configurable: true }; } }))()`;

function lazyRequires() {
  return {
    name: "lazy-requires",
    // After rendering: chunk names are final here, and nothing reformats the code afterwards.
    generateBundle(_, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === "chunk" && file.name !== "zod") {
          file.code = file.code.replace(LAZY, (_, id) => lazyRequire(JSON.stringify(id)));
        }
      }
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
  input: { main: "src/cli/main.ts", "code-cache": "src/cli-code-cache.ts" },
  platform: "node",
  // undici's own files are loaded by path (src/http/undici-lite.ts); cosmiconfig's optional
  // TypeScript loader needs the typescript package, which only a .ts config file asks for.
  external: [/^undici(\/|$)/, "typescript"],
  resolve: { extensionAlias: { ".js": [".ts", ".js"] } },
  logLevel: "warn",
  plugins: [lazyRequires(), inlineVersion()],
  // grokvid's own modules do nothing when imported but define things, so a command that imports
  // one name from the library's entry (src/index.ts) does not load every module the entry lists.
  treeshake: { moduleSideEffects: (id, external) => external || /[\\/]node_modules[\\/]/.test(id) },
  output: {
    dir: "dist/cli",
    format: "cjs",
    entryFileNames: "[name].cjs",
    chunkFileNames: "[name]-[hash].cjs",
    sourcemap: true,
    // What nearly every command runs (flags, config scan, providers' requests, output) is one chunk:
    // each extra file costs a read and a compile. Heavy parts stay apart, loaded when first used.
    codeSplitting: {
      groups: [
        { name: "zod", test: /[\\/]node_modules[\\/]zod[\\/]/ },
        {
          name: "common",
          test: /[\\/]src[\\/](cli[\\/](run|program|program-options|program-setup|program-review|commander-text|completion[\\/]scripts)|util[\\/](errors|redact|version|task-status|format|untrusted|duration|did-you-mean)|commands[\\/](cli-output|render|create|status)|config[\\/](choices|load|quick-scan|resolve)|providers[\\/]|ui[\\/](output|color|status-display|task-line|download-meter)|index|core[\\/](journal[\\/]file-name|client[\\/](client|context|settings|event-queue)|gateway[\\/](resolve-gateway|sandbox-timeline)|jobs[\\/](preview|validate-create|validate-images|value-source|load-images)|download[\\/](output-plan|output-path)))(\.ts)?$|[\\/]node_modules[\\/](commander|env-paths)[\\/]/,
        },
      ],
    },
  },
});
