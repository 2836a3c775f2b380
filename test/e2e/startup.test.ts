import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BIN, makeTempDir } from "../helpers/run-cli.js";

const CHUNKS = fileURLToPath(new URL("../../dist/bundle", import.meta.url));
const temp = { dir: "", cleanup: async (): Promise<void> => {} };
beforeEach(async () => Object.assign(temp, await makeTempDir()));
afterEach(() => temp.cleanup());

interface Loaded {
  builtins: string[];
  files: string[];
}

/** What a run of the built CLI loaded: Node's own modules and the files it required. */
function loadedBy(args: string[]): Loaded {
  const report = join(temp.dir, "loaded.json");
  const preload = join(temp.dir, "report-loads.cjs");
  writeFileSync(
    preload,
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(report)}, JSON.stringify({
      builtins: process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13)),
      files: Object.keys(require.cache),
    })));`,
  );
  const run = spawnSync(process.execPath, ["-r", preload, BIN, ...args], {
    cwd: temp.dir,
    env: { PATH: process.env.PATH ?? "", HOME: temp.dir, XDG_CONFIG_HOME: join(temp.dir, ".config") },
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(readFileSync(report, "utf8")) as Loaded;
}

describe("start-up loads only what the command runs", () => {
  it("a dry run loads no zod, no crypto, no child processes, no download, journal or HTTP code", () => {
    const loaded = loadedBy(["create", "--provider", "apimart", "--prompt", "x", "--dry-run"]);
    expect(loaded.builtins).not.toContain("crypto");
    expect(loaded.builtins).not.toContain("child_process");
    expect(loaded.builtins).not.toContain("fs/promises");
    const chunks = loaded.files.filter((f) => f.startsWith(CHUNKS)).map((f) => f.slice(CHUNKS.length + 1));
    expect(
      chunks.every((name) => /^(main|cache-dir-|common-|rolldown-runtime-)/.test(name)),
      chunks.join(" "),
    ).toBe(true);
  });

  it("only grokvid mcp loads the MCP SDK", () => {
    const sdk = (files: string[]) => files.filter((f) => f.includes("@modelcontextprotocol"));
    expect(sdk(loadedBy(["create", "--provider", "apimart", "--prompt", "x", "--dry-run"]).files)).toEqual(
      [],
    );
    expect(sdk(loadedBy(["jobs", "--json"]).files)).toEqual([]);
    expect(sdk(loadedBy(["mcp", "--out-dir", "out"]).files).length).toBeGreaterThan(0);
  });

  it("a TAB press (__complete) reads the config and the journal without zod or HTTP code", () => {
    writeFileSync(join(temp.dir, ".grokvideorc.json"), '{"gateways":{"gw":{"dialect":"xai"}}}');
    const loaded = loadedBy(["__complete", "create", "--provider", ""]);
    expect(loaded.files.some((f) => /[\\/]zod-[\w-]+\.cjs$/.test(f))).toBe(false);
    // undici from node_modules, or its chunk of the bundle.
    expect(loaded.files.some((f) => /[\\/]undici[\\/-]/.test(f))).toBe(false);
    expect(loadedBy(["__complete", "status", ""]).builtins).not.toContain("crypto");
  });

  it("a command that parses an answer still finds zod where it first uses it", () => {
    const loaded = loadedBy(["jobs", "--json"]);
    expect(loaded.files.some((f) => /[\\/]zod-[\w-]+\.cjs$/.test(f))).toBe(true);
  });

  it("a JavaScript config is imported without a warning on stderr", () => {
    const config = join(temp.dir, "grokvideo.config.mjs");
    writeFileSync(config, 'export default { defaultProvider: "apimart" };\n');
    const run = spawnSync(
      process.execPath,
      [BIN, "create", "--prompt", "x", "--dry-run", "--config", config],
      {
        cwd: temp.dir,
        env: { PATH: process.env.PATH ?? "", HOME: temp.dir, XDG_CONFIG_HOME: join(temp.dir, ".config") },
        encoding: "utf8",
      },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("api.apimart.ai");
  });
});
