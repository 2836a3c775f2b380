// Bundles the CLI (src/cli-main.ts and everything it imports) into dist/cli/ as CommonJS chunks:
// Node starts a few CommonJS files far faster than ~50 ES modules and their resolution, and each
// part a command may not need (the batch engine, the download writer, the sandbox, ora) stays in
// its own chunk, loaded when first imported. Source maps point at src/. The library (`grokvid`)
// is tsc's ES module output and is not bundled.
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const root = fileURLToPath(new URL("..", import.meta.url));

await build({
  cwd: root,
  input: { main: "src/cli-main.ts" },
  platform: "node",
  // undici's own files are loaded by path (src/http/undici-lite.ts); cosmiconfig's optional
  // TypeScript loader needs the typescript package, which only a .ts config file asks for.
  external: [/^undici(\/|$)/, "typescript"],
  resolve: { extensionAlias: { ".js": [".ts", ".js"] } },
  logLevel: "warn",
  output: {
    dir: "dist/cli",
    format: "cjs",
    entryFileNames: "[name].cjs",
    chunkFileNames: "[name]-[hash].cjs",
    sourcemap: true,
    // What nearly every command runs (flags, config scan, providers' requests, output) is one chunk:
    // each extra file costs a read and a compile. Heavy parts stay apart, loaded when first used.
    advancedChunks: {
      groups: [
        {
          name: "common",
          test: /[\\/]src[\\/](cli|program|program-options|errors|redact|version|task-status|commands[\\/](cli-output|render|create|status)|config[\\/](choices|load|quick-scan|resolve)|providers[\\/]|ui[\\/](output|color|status-display)|util[\\/](format|untrusted|duration)|core[\\/](client|context|settings|gateway|create-preview|validate-create|load-images|output-plan|output-path|sandbox-timeline|event-queue))(\.ts)?$|[\\/]node_modules[\\/](commander|env-paths)[\\/]/,
        },
      ],
    },
  },
});
