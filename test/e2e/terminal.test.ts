import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, runCli } from "../helpers/run-cli.js";
import { replayScreen, runInPty } from "../helpers/pty.js";
import { textWidth } from "../../src/ui/text-width.js";

// What the terminal tests draw against: the in-process sandbox, whose jobs take this long.
const SANDBOX = { GROKVID_SANDBOX_DELAY: "1200ms" };
const ESC = "\u001b";
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

let dir = "";
let cleanup: () => Promise<void> = async () => {};
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => cleanup());

async function createJob(): Promise<string> {
  const made = await runCli(["create", "--provider", "sandbox", "--prompt", "a terminal test"], {
    cwd: dir,
    env: SANDBOX,
  });
  expect(made.code, made.stderr).toBe(0);
  return made.stdout.trim();
}

describe("the spinner on a real pseudo-terminal", () => {
  it("a terminal that reports 0 columns and 0 rows gets a bounded number of bytes, and no debris", async () => {
    const id = await createJob();
    const started = Date.now();
    const run = await runInPty(["wait", id, "--provider", "sandbox", "--interval", "200ms"], {
      cwd: dir,
      env: SANDBOX,
      columns: 0,
      rows: 0,
    });
    const seconds = (Date.now() - started) / 1000;
    expect(run.code, run.output).toBe(0);
    // Before the fix ora divided by 0 columns and cleared an infinite number of lines (7.5 MB in
    // 10 s); a frame is under 100 bytes and there are at most 10 a second.
    expect(run.output.length).toBeLessThan(200 + 1000 * seconds);
    const screen = replayScreen(run.output, 200);
    expect(screen.lines).toEqual([expect.stringMatching(new RegExp(`^${id}\\tsucceeded\\t`))]);
    expect(run.output).toMatch(SPINNER);
  });

  it("TERM=dumb: no animation and no colour, one plain line per status change", async () => {
    const id = await createJob();
    const run = await runInPty(["wait", id, "--provider", "sandbox", "--interval", "100ms"], {
      cwd: dir,
      env: { ...SANDBOX, TERM: "dumb" },
      columns: 80,
      rows: 24,
    });
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toContain(ESC);
    expect(run.output).not.toMatch(SPINNER);
    const lines = run.output.split("\r\n").filter(Boolean);
    const statuses = lines.slice(0, -1).map((l) => l.replace(/^\S+: (\w+).*$/, "$1"));
    // Many polls, yet each status is told once.
    expect(statuses).toEqual([...new Set(statuses)]);
    expect(statuses).toContain("succeeded");
  });

  it("colour follows the terminal's own depth and NO_COLOR; FORCE_COLOR colours a pipe", async () => {
    const id = await createJob();
    const args = ["wait", id, "--provider", "sandbox", "--interval", "100ms"];
    const size = { cwd: dir, columns: 80, rows: 24 };
    const colored = await runInPty(args, { ...size, env: SANDBOX });
    expect(colored.output).toContain(`${ESC}[36m`);
    const noColor = await runInPty(args, { ...size, env: { ...SANDBOX, NO_COLOR: "1" } });
    expect(noColor.output).toMatch(SPINNER);
    expect(noColor.output).not.toContain(`${ESC}[36m`);
    const bad = ["status", "task_nope", "--provider", "sandbox"];
    const piped = await runCli(bad, { cwd: dir, env: { ...SANDBOX, NO_COLOR: "", FORCE_COLOR: "1" } });
    expect(piped.stderr).toContain(`${ESC}[31merror:`);
    const plain = await runCli(bad, { cwd: dir, env: { ...SANDBOX, NO_COLOR: "" } });
    expect(plain.stderr).toMatch(/^error:/);
  });
});

describe("the live batch display on a real pseudo-terminal", () => {
  const wide = "一只狗在海滩上奔跑的慢动作镜头，阳光明媚，浪花飞溅 🐕🌊 and a very long English tail to wrap";

  async function batchFile(lines: number): Promise<string> {
    const path = join(dir, "jobs.jsonl");
    const jobs = Array.from({ length: lines }, (_, i) => JSON.stringify({ prompt: `${wide} ${i}` }));
    await writeFile(path, `${jobs.join("\n")}\n`);
    return path;
  }

  it("never wraps a line on a narrow terminal and leaves only the finished lines and the summary", async () => {
    const file = await batchFile(3);
    const run = await runInPty(["batch", file, "--provider", "sandbox", "--interval", "100ms"], {
      cwd: dir,
      env: SANDBOX,
      columns: 30,
      rows: 10,
    });
    expect(run.code, run.output).toBe(0);
    const screen = replayScreen(run.output, 30);
    // Finished lines and results are printed in full (they may wrap); the live block's never do.
    const live = run.output
      // eslint-disable-next-line no-control-regex -- escapes are what is being taken apart
      .split(/\r\n|\r|\u001b\[\d*[A-Za-z]/)
      .filter((l) => /^line \d |done, \d+ not ok/.test(l) && !l.includes(" succeeded -> "));
    expect(live.length).toBeGreaterThan(3);
    // In cells: the prompts' Chinese characters and emoji take two each.
    for (const l of live) expect(textWidth(l), l).toBeLessThanOrEqual(29);
    expect(live.some((l) => l.includes("…"))).toBe(true);
    expect(screen.lines.join("\n")).not.toMatch(SPINNER);
    expect(screen.lines.join("\n")).not.toMatch(/done, \d+ not ok/);
    expect(screen.lines.join("\n")).toContain("batch: 3 succeeded");
  });

  const animals = ["fox in fresh snow, slow motion", "dog on a beach at dawn", "cat asleep on a windowsill"];

  async function animalsFile(): Promise<string> {
    const path = join(dir, "animals.jsonl");
    await writeFile(path, `${animals.map((prompt) => JSON.stringify({ prompt })).join("\n")}\n`);
    return path;
  }

  it("at 40 columns a job's line keeps the start of its prompt, its status, percent and elapsed time", async () => {
    const run = await runInPty(
      ["batch", await animalsFile(), "--provider", "sandbox", "--interval", "100ms"],
      {
        cwd: dir,
        env: { ...SANDBOX, NO_COLOR: "1" },
        columns: 40,
        rows: 24,
      },
    );
    expect(run.code, run.output).toBe(0);
    const polled = run.output
      // eslint-disable-next-line no-control-regex -- escapes are what is being taken apart
      .split(/\r\n|\r|\u001b\[\d*[A-Za-z]/)
      // A job's live lines once it has a task (the finished ones are printed in full).
      .filter((l) => /^line \d\b/.test(l) && !/: submitt| succeeded -> /.test(l));
    expect(polled.length, run.output).toBeGreaterThan(3);
    for (const l of polled) {
      expect(l.length, l).toBeLessThanOrEqual(39);
      expect(l, l).toMatch(/: (queued|running \d+%|succeeded) \(\d+m?s\)$/);
      const n = Number(/^line (\d)/.exec(l)?.[1]);
      expect(l, l).toContain(`line ${n} "${animals[n - 1]?.slice(0, 6)}`);
    }
    expect(polled.some((l) => / running \d+% /.test(l))).toBe(true);
  });

  it("off a terminal a job's lines name it by its prompt", async () => {
    const run = await runCli(["batch", await animalsFile(), "--provider", "sandbox", "--interval", "100ms"], {
      cwd: dir,
      env: SANDBOX,
    });
    expect(run.code, run.stderr).toBe(0);
    animals.forEach((prompt, i) => {
      const name = `line ${i + 1} "${prompt}": `;
      expect(run.stderr).toMatch(new RegExp(`^${name}submitted task task_\\w+ to sandbox$`, "m"));
      expect(run.stderr).toMatch(new RegExp(`^${name}task_\\w+: queued \\(\\d+m?s\\)$`, "m"));
      expect(run.stderr).toMatch(new RegExp(`^${name}task_\\w+ succeeded -> `, "m"));
    });
  });

  it("Ctrl-C erases the live block, prints the summary and exits 130", async () => {
    const file = await batchFile(2);
    const run = await runInPty(["batch", file, "--provider", "sandbox", "--interval", "100ms"], {
      cwd: dir,
      env: { GROKVID_SANDBOX_DELAY: "30s" },
      columns: 60,
      rows: 10,
      type: { text: "\u0003", when: (out) => /line 2 ".*": \S+: queued/.test(out) },
    });
    expect(run.code, run.output).toBe(130);
    const text = replayScreen(run.output, 60).lines.join("\n");
    expect(text).not.toMatch(/done, \d+ not ok/);
    expect(text).not.toMatch(/line \d .*: queued/);
    expect(text).toContain("batch: 0 succeeded");
    expect(text).toContain("resume with: grokvid batch");
  });
});

describe("resume on a terminal (issue 23 item 9)", () => {
  it("shows each job once: its result line, not a finished line above it as well", async () => {
    const ids = [await createJob(), await createJob()];
    const run = await runInPty(["resume", "--interval", "200ms"], {
      cwd: dir,
      env: SANDBOX,
      columns: 100,
      rows: 24,
    });
    expect(run.code, run.output).toBe(0);
    const screen = replayScreen(run.output, 100);
    for (const id of ids) expect(screen.lines.filter((line) => line.includes(id))).toHaveLength(1);
    expect(screen.lines).toContainEqual(expect.stringMatching(new RegExp(`^${ids[0]}\\tsucceeded`)));
  });
});

describe("the live resume display on a real pseudo-terminal", () => {
  it("at 40 columns a job's line keeps its status and elapsed time, and says which prompt it is", async () => {
    const id = await createJob();
    const run = await runInPty(["resume", "--interval", "100ms"], {
      cwd: dir,
      env: { ...SANDBOX, NO_COLOR: "1" },
      columns: 40,
      rows: 24,
    });
    expect(run.code, run.output).toBe(0);
    const live = run.output
      // eslint-disable-next-line no-control-regex -- escapes are what is being taken apart
      .split(/\r\n|\r|\u001b\[\d*[A-Za-z]/)
      .filter((l) => l.startsWith('"a terminal'));
    // No finished line above the (erased) block: the result line on stdout says it, once.
    expect(live.length, run.output).toBeGreaterThan(1);
    expect(replayScreen(run.output, 40).lines.filter((l) => l.includes(id.slice(-7)))).toHaveLength(1);
    for (const l of live) {
      expect(l.length, l).toBeLessThanOrEqual(39);
      expect(l, l).toMatch(/^"a terminal test": (\S+: )?(queued|running \d+%|succeeded) \(\d+m?s\)$/);
    }
  });
});
