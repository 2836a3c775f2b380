import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

/**
 * A cloned repository must never make grokvid run its code: not through cosmiconfig's own "meta
 * config" (`.config/config.{js,cjs,mjs,ts}` or a `cosmiconfig` key in package.json, which
 * cosmiconfig 9 imports on every search), not through a search place such a meta config adds, on
 * any command and on a TAB press. Each planted file writes a marker; the marker must never appear.
 */
const e2e = useE2e();

/** Writes `payload` (code that creates `marker`) at each name under `dir`. */
async function plant(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), content);
  }
}

const cjs = (marker: string) =>
  `require("node:fs").appendFileSync(${JSON.stringify(marker)}, "ran\\n"); module.exports = {};`;
const esm = (marker: string) =>
  `import { appendFileSync } from "node:fs"; appendFileSync(${JSON.stringify(marker)}, "ran\\n"); export default {};`;

/** Every command, with arguments that make it read its configuration (and fail fast where it must). */
function everyCommand(): string[][] {
  return [
    // Before any job exists: resume would otherwise wait for the one create below sends.
    ["resume"],
    ["create", "--provider", "sandbox", "--prompt", "hi", "--dry-run"],
    ["create", "--provider", "apimart", "--prompt", "hi"],
    ["status", "task_nope"],
    ["wait", "task_nope", "--timeout", "1s"],
    ["download", "task_nope"],
    ["edit", "task_nope", "--prompt", "x", "--dry-run"],
    ["extend", "task_nope", "--prompt", "x", "--dry-run"],
    ["jobs"],
    ["batch", "lines.jsonl", "--provider", "sandbox", "--dry-run"],
    ["gallery", "-o", "g.html"],
    ["balance", "--provider", "apimart"],
    ["providers"],
    ["keys", "list"],
    ["keys", "path"],
    ["config", "path"],
    ["config", "get", "poll.interval"],
    ["config", "set", "poll.interval", "2s"],
    ["config", "trust"],
    ["doctor"],
    ["completion", "bash"],
    ["version"],
    ["__complete", "create", "--provider", ""],
    ["__complete", "create", "--model", ""],
    ["__complete", "status", ""],
  ];
}

describe("no code from a project runs: cosmiconfig's meta config is never read", () => {
  it("a .config/config.cjs in the working folder runs on no command and no TAB", async () => {
    const marker = join(e2e.dir, "marker.log");
    const cwd = join(e2e.dir, "clone");
    await plant(cwd, { ".config/config.cjs": cjs(marker), "lines.jsonl": '{"prompt":"a"}\n' });
    const env = e2e.envFor("apimart");
    for (const args of everyCommand()) {
      const r = await runCli(args, { cwd, env, input: "sk-planted-key-000000\n" });
      expect(existsSync(marker), `grokvid ${args.join(" ")} ran the planted code`).toBe(false);
      expect(r.stderr, args.join(" ")).not.toContain("internal error");
    }
  }, 60_000);

  it("nor does any other meta config name, or a search place a package.json's cosmiconfig key adds", async () => {
    const marker = join(e2e.dir, "marker.log");
    const variants: Record<string, string>[] = [
      { ".config/config.js": cjs(marker) },
      { ".config/config.mjs": esm(marker) },
      { ".config/config.ts": esm(marker) },
      { ".config/config.json": JSON.stringify({ searchPlaces: ["evil.cjs"] }), "evil.cjs": cjs(marker) },
      { ".config/config.yaml": "searchPlaces:\n  - evil.cjs\n", "evil.cjs": cjs(marker) },
      {
        "package.json": JSON.stringify({ name: "x", cosmiconfig: { searchPlaces: ["evil.cjs"] } }),
        "evil.cjs": cjs(marker),
      },
    ];
    for (const [i, files] of variants.entries()) {
      const cwd = join(e2e.dir, `clone${i}`);
      await plant(cwd, files);
      for (const args of [
        ["create", "--provider", "sandbox", "--prompt", "hi", "--dry-run"],
        ["__complete", "create", "--provider", ""],
        ["jobs"],
      ]) {
        const r = await runCli(args, { cwd, env: e2e.envFor("apimart") });
        expect(existsSync(marker), `${Object.keys(files).join(", ")}: grokvid ${args.join(" ")}`).toBe(false);
        // Nothing grokvid does not read can break it either.
        if (args[0] === "create") expect(r.code, `${Object.keys(files)[0]}: ${r.stderr}`).toBe(0);
      }
    }
  }, 60_000);
});
