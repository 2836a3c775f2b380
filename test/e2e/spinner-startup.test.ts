import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BIN, makeTempDir, runCli } from "../helpers/run-cli.js";
import { runInPty } from "../helpers/pty.js";

// ora (and cli-spinners, cli-cursor, signal-exit...) is ~60 KB that only a spinner on a terminal
// needs: it must stay out of every start-up that shows none.
const CHUNKS = fileURLToPath(new URL("../../dist/bundle", import.meta.url));
const SANDBOX = { GROKVID_SANDBOX_DELAY: "1200ms" };

let dir = "";
let cleanup: () => Promise<void> = async () => {};
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => cleanup());

/** The built chunk that holds ora: found by a sentence of ora's own, not by a file name. */
function oraChunk(): string {
  const holding = readdirSync(CHUNKS).filter(
    (f) =>
      f.endsWith(".cjs") &&
      readFileSync(join(CHUNKS, f), "utf8").includes("content truncated to fit terminal"),
  );
  expect(holding).toHaveLength(1);
  return join(CHUNKS, holding[0] ?? "");
}

/** NODE_OPTIONS that make a run of the CLI write the files it required to `report`. */
function reporting(report: string): Record<string, string> {
  const preload = join(dir, "report-loads.cjs");
  writeFileSync(
    preload,
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(report)}, JSON.stringify(Object.keys(require.cache))));`,
  );
  return { NODE_OPTIONS: `--require ${preload}` };
}

function loaded(report: string): string[] {
  return JSON.parse(readFileSync(report, "utf8")) as string[];
}

describe("ora loads only when a spinner is shown", () => {
  it("--version, --help and --dry-run never load it", () => {
    const ora = oraChunk();
    expect(ora).not.toMatch(/[\\/](main|common-[\w-]+)\.cjs$/);
    for (const args of [
      ["--help"],
      ["wait", "--help"],
      ["create", "--provider", "apimart", "--prompt", "x", "--dry-run"],
    ]) {
      const report = join(dir, `${args.length}.json`);
      const run = spawnSync(process.execPath, [BIN, ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "", HOME: dir, ...reporting(report) },
        encoding: "utf8",
      });
      expect(run.status, run.stderr).toBe(0);
      expect(loaded(report), args.join(" ")).not.toContain(ora);
    }
    // --version is answered by bin/grokvid.cjs before any chunk loads.
    const report = join(dir, "version.json");
    spawnSync(process.execPath, [BIN, "--version"], { env: { ...reporting(report) } });
    expect(loaded(report).filter((f) => f.startsWith(CHUNKS))).toEqual([]);
  });

  it("waiting off a terminal or on TERM=dumb never loads it; on a terminal it does", async () => {
    const ora = oraChunk();
    const id = (
      await runCli(["create", "--provider", "sandbox", "--prompt", "x"], { cwd: dir, env: SANDBOX })
    ).stdout.trim();
    const args = ["wait", id, "--provider", "sandbox", "--interval", "100ms"];
    const piped = join(dir, "piped.json");
    expect((await runCli(args, { cwd: dir, env: { ...SANDBOX, ...reporting(piped) } })).code).toBe(0);
    expect(loaded(piped)).not.toContain(ora);
    const size = { cwd: dir, columns: 80, rows: 24 };
    const dumb = join(dir, "dumb.json");
    await runInPty(args, { ...size, env: { ...SANDBOX, TERM: "dumb", ...reporting(dumb) } });
    expect(loaded(dumb)).not.toContain(ora);
    // The check itself: a spinner on a terminal is ora's.
    const shown = join(dir, "shown.json");
    const run = await runInPty(args, { ...size, env: { ...SANDBOX, ...reporting(shown) } });
    expect(run.code, run.output).toBe(0);
    expect(loaded(shown)).toContain(ora);
  });
});
