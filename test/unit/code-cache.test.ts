import { spawnSync } from "node:child_process";
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir } from "../helpers/run-cli.js";

const LOADER = fileURLToPath(new URL("../../dist/cli/code-cache.cjs", import.meta.url));
const temp = { dir: "", cleanup: async (): Promise<void> => {} };
beforeEach(async () => Object.assign(temp, await makeTempDir()));
afterEach(() => temp.cleanup());

/**
 * Requires `folder`/chunk.cjs in a fresh Node with the loader hooked on `hooked` (by default the
 * same folder) in `mode`; returns what the chunk exported.
 */
function load(
  mode: "recordCodeCache" | "useCodeCache",
  folder: string,
  { hooked = folder, flags = [] as string[] } = {},
): string {
  // `answer` may be a promise (a chunk that imports).
  const code = `require(${JSON.stringify(LOADER)}).${mode}(${JSON.stringify(hooked)});
    Promise.resolve(require(${JSON.stringify(join(folder, "chunk.cjs"))}).answer)
      .then((answer) => process.stdout.write(String(answer)));`;
  const run = spawnSync(process.execPath, [...flags, "-e", code], { encoding: "utf8" });
  expect(run.stderr).toBe("");
  return run.stdout;
}

/**
 * A chunk exporting "old", its training-run cache, then the chunk rewritten to export "new" at the
 * same length (V8 checks only the length) and dated `chunkAge` ms from now.
 */
function staleSetup(chunkAge: number): string {
  const chunks = join(temp.dir, "cli");
  mkdirSync(chunks);
  const chunk = join(chunks, "chunk.cjs");
  writeFileSync(chunk, 'exports.answer = "old";');
  expect(load("recordCodeCache", chunks)).toBe("old");
  writeFileSync(chunk, 'exports.answer = "new";');
  const when = new Date(Date.now() + chunkAge);
  utimesSync(chunk, when, when);
  return chunks;
}

describe("V8 code caches for the CLI's chunks", () => {
  it("a chunk runs from its cache: what the training run compiled, not what the file says", () => {
    // Only a cache in use can answer "old" here; the date check below is what keeps this from
    // happening after a real edit.
    expect(load("useCodeCache", staleSetup(-3_600_000))).toBe("old");
  });

  it("a cache older than its chunk is never used", () => {
    expect(load("useCodeCache", staleSetup(60_000))).toBe("new");
  });

  it("a damaged cache is rejected by V8 and the chunk compiles from source", () => {
    const chunks = join(temp.dir, "cli");
    mkdirSync(chunks);
    writeFileSync(join(chunks, "chunk.cjs"), "exports.answer = 6 * 7;");
    writeFileSync(join(chunks, "chunk.cjs.v8-cache"), Buffer.alloc(4096, 7));
    expect(load("useCodeCache", chunks)).toBe("42");
  });

  it("a chunk without a cache loads through Node's own loader: its import() works, silently", () => {
    // vm.Script's only import() loader that works on Node 20 printed an ExperimentalWarning.
    const chunks = join(temp.dir, "cli");
    mkdirSync(chunks);
    writeFileSync(
      join(chunks, "chunk.cjs"),
      'exports.answer = import("node:os").then((os) => typeof os.EOL);',
    );
    expect(load("useCodeCache", chunks)).toBe("string");
  });

  it("with --enable-source-maps, and outside the chunk folder, files load as usual", () => {
    const chunks = staleSetup(-3_600_000);
    expect(load("useCodeCache", chunks, { flags: ["--enable-source-maps"] })).toBe("new");
    expect(load("useCodeCache", chunks, { hooked: join(temp.dir, "elsewhere") })).toBe("new");
  });
});

describe("finding import() in a chunk", () => {
  it("counts import expressions, not the words in comments or strings", async () => {
    const { hasDynamicImport } = await import("../../scripts/dynamic-import.mjs");
    expect(hasDynamicImport("exports.load = (href) => import(href);")).toBe(true);
    expect(hasDynamicImport('function f() { return 1 && import("node:os"); }')).toBe(true);
    expect(hasDynamicImport('/** @typedef { import("./a.js").A } A */ exports.s = "import(x)";')).toBe(false);
  });
});
