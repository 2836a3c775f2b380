import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, runCli } from "../helpers/run-cli.js";
import { replayScreen, runInPty } from "../helpers/pty.js";

// The single-job spinner (ora) on a real pseudo-terminal, against the in-process sandbox.
const SANDBOX = { GROKVID_SANDBOX_DELAY: "1200ms" };
const ESC = "\u001b";
const FRAME = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

let dir = "";
let cleanup: () => Promise<void> = async () => {};
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => cleanup());

async function createJob(env: Record<string, string> = SANDBOX): Promise<string> {
  const made = await runCli(["create", "--provider", "sandbox", "--prompt", "a spinner test"], {
    cwd: dir,
    env,
  });
  expect(made.code, made.stderr).toBe(0);
  return made.stdout.trim();
}

/**
 * What the spinner drew: colours taken out, every piece of output between other escapes and line
 * ends that starts with a frame.
 */
function spinnerLines(output: string): string[] {
  return (
    output
      // eslint-disable-next-line no-control-regex -- escapes are what is being taken apart
      .replace(/\u001b\[[\d;]*m/g, "")
      // eslint-disable-next-line no-control-regex -- escapes are what is being taken apart
      .split(/\r\n|\r|\n|\u001b\[[?\d;]*[A-Za-z]/)
      .filter((piece) => FRAME.test(piece.slice(0, 1)))
  );
}

describe("the single-job spinner (ora) on a real pseudo-terminal", () => {
  it("a terminal that reports 0 columns (and some rows) gets frames of bounded size, then a clean screen", async () => {
    const id = await createJob();
    const started = Date.now();
    const run = await runInPty(["wait", id, "--provider", "sandbox", "--interval", "200ms"], {
      cwd: dir,
      env: { ...SANDBOX, NO_COLOR: "1" },
      columns: 0,
      rows: 24,
      limitMs: 10_000,
    });
    const seconds = (Date.now() - started) / 1000;
    // ora counts a frame's rows as cells / columns: at 0 columns, Infinity rows to erase, forever.
    expect(run.output.length, run.output.slice(0, 600)).toBeLessThan(200 + 1000 * seconds);
    expect(run.code, run.output.slice(-600)).toBe(0);
    const drawn = spinnerLines(run.output);
    expect(drawn.length).toBeGreaterThan(0);
    // Drawn for 80 columns (what an unsized terminal is taken for), one column kept free.
    for (const line of drawn) expect(line.length, line).toBeLessThanOrEqual(79);
    const screen = replayScreen(run.output, 200);
    expect(screen.lines).toEqual([expect.stringMatching(new RegExp(`^${id}\\tsucceeded\\t`))]);
  });

  it("at 40 columns the line fits and keeps status, percent and elapsed time, cutting the id in its middle", async () => {
    const id = await createJob();
    const run = await runInPty(["wait", id, "--provider", "sandbox", "--interval", "100ms"], {
      cwd: dir,
      env: { ...SANDBOX, NO_COLOR: "1" },
      columns: 40,
      rows: 24,
    });
    expect(run.code, run.output).toBe(0);
    const drawn = spinnerLines(run.output);
    expect(drawn.length).toBeGreaterThan(0);
    const head = id.slice(0, 5);
    for (const line of drawn) {
      expect(line.length, line).toBeLessThanOrEqual(39);
      expect(line, line).toMatch(/: (queued|running \d+%|succeeded) \(\d+m?s\)$/);
      expect(line, line).toMatch(new RegExp(`^. ${head}\\w*…\\w+: `));
      expect(id.endsWith(line.split("…")[1]?.split(": ")[0] ?? "?"), line).toBe(true);
    }
    expect(drawn.some((line) => / running \d+% /.test(line))).toBe(true);
    const screen = replayScreen(run.output, 40);
    expect(screen.lines.join("\n")).not.toMatch(FRAME);
    expect(screen.lines.join("")).toMatch(new RegExp(`^${id}\\tsucceeded\\t`));
  });

  it("Ctrl-C erases the spinner, says how to resume and exits 130; the cursor is never left hidden", async () => {
    const id = await createJob({ GROKVID_SANDBOX_DELAY: "30s" });
    const run = await runInPty(["wait", id, "--provider", "sandbox", "--interval", "100ms"], {
      cwd: dir,
      env: { GROKVID_SANDBOX_DELAY: "30s" },
      columns: 80,
      rows: 24,
      type: { text: "\u0003", when: (out) => spinnerLines(out).length >= 3 },
    });
    expect(run.code, run.output).toBe(130);
    const text = replayScreen(run.output, 80).lines.join("\n");
    expect(text).not.toMatch(FRAME);
    expect(text).not.toMatch(/: (queued|running)( \d+%)? \(/);
    expect(text).toContain(`resume with: grokvid wait ${id}`);
    expect(run.output.lastIndexOf(`${ESC}[?25l`)).toBeLessThanOrEqual(run.output.lastIndexOf(`${ESC}[?25h`));
  });

  it("a process that exits while the spinner runs (a second Ctrl-C's process.exit) leaves no spinner behind", () => {
    // The built display module, driven directly: exiting mid-spin is what a second Ctrl-C does,
    // and two Ctrl-C in a row reach a process as one signal as often as not.
    const ui = (name: string) =>
      JSON.stringify(fileURLToPath(new URL(`../../dist/ui/${name}.js`, import.meta.url)));
    const script = join(dir, "exit-mid-spin.mjs");
    writeFileSync(
      script,
      `const { Output } = await import(${ui("output")});
      const { createStatusDisplay } = await import(${ui("status-display")});
      const mode = { json: false, quiet: false, verbose: false, color: true };
      const out = new Output({ stdout: process.stdout, stderr: process.stderr, env: process.env }, mode);
      const display = await createStatusDisplay(out);
      const at = "2026-01-01T00:00:00.000Z";
      display.update({ id: "task_exit", provider: "sandbox", model: "m", status: "running", progress: 50,
        videoUrl: null, error: null, createdAt: at, updatedAt: at, raw: {} }, 0);
      setTimeout(() => process.exit(130), 350);`,
    );
    const run = spawnSync(
      "script",
      ["-qec", `stty cols 80 rows 24; exec ${process.execPath} ${script}`, "/dev/null"],
      {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "", HOME: dir, TERM: "xterm-256color" },
        encoding: "utf8",
        timeout: 10_000,
      },
    );
    expect(run.status, run.stdout).toBe(130);
    expect(spinnerLines(run.stdout).length, run.stdout).toBeGreaterThanOrEqual(2);
    expect(replayScreen(run.stdout, 80).lines).toEqual([]);
  });

  it.each([
    ["--json", 3],
    ["--quiet", 0],
  ])("%s on a terminal: no spinner, no escape; at most a plain line per status", async (flag, lines) => {
    const id = await createJob();
    const run = await runInPty(["wait", id, "--provider", "sandbox", "--interval", "100ms", flag], {
      cwd: dir,
      env: SANDBOX,
      columns: 80,
      rows: 24,
    });
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toMatch(FRAME);
    expect(run.output).not.toContain(`${ESC}[`);
    const told = run.output.split("\r\n").filter((l) => l.startsWith(`${id}: `));
    expect(told.length, run.output).toBeLessThanOrEqual(lines);
    expect(told).toEqual([...new Set(told)]);
  });

  it("not a terminal: plain lines, one per status, and no escape sequence", async () => {
    const id = await createJob();
    const run = await runCli(["wait", id, "--provider", "sandbox", "--interval", "100ms"], {
      cwd: dir,
      env: { ...SANDBOX, NO_COLOR: "" },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr + run.stdout).not.toContain(ESC);
    expect(run.stderr).not.toMatch(FRAME);
    const statuses = run.stderr
      .trim()
      .split("\n")
      .map((l) => l.replace(/^\S+: (\w+).*$/, "$1"));
    expect(statuses).toEqual([...new Set(statuses)]);
    expect(statuses).toContain("succeeded");
  });
});
