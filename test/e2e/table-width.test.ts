import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, runCli } from "../helpers/run-cli.js";
import { replayScreen, runInPty } from "../helpers/pty.js";
import { writeJournalText } from "../helpers/journal-text.js";

// `jobs` and `providers` on a real pseudo-terminal of a given width, and off one.
let dir = "";
let cleanup: () => Promise<void> = async () => {};
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => cleanup());

const state = () => join(dir, "state");
const env = () => ({ GROKVID_HOME: state(), NO_COLOR: "1" });
const tty = (args: string[], columns: number) => runInPty(args, { cwd: dir, env: env(), columns, rows: 40 });

/** What the terminal shows, one entry per line as printed (a line that wrapped stays one entry). */
function printed(output: string): string[] {
  return output.split("\r\n").filter(Boolean);
}

const JOBS = [
  {
    id: "task_an000a40mxcv4ic04hv540nq0dci5bu",
    prompt: "fox in fresh snow, slow motion, the camera following it through a birch forest at dawn",
    file: "videos/fox.mp4",
  },
  {
    id: "task_an000b40mxcv4ic04hv540nq0dqq7xz",
    prompt: "dog on a beach at dawn, waves breaking, a kite in the sky",
    file: "videos/dog-on-the-beach-at-dawn-with-a-kite.mp4",
  },
  { id: "task_an000c40mxcv4ic04hv540nq0dzz1ab", prompt: "cat asleep on a windowsill", file: undefined },
];

/** A journal of three sandbox jobs: two downloaded into the working folder, one still queued. */
async function journal(): Promise<void> {
  await mkdir(state(), { recursive: true });
  const at = "2026-11-01T00:00:00.000Z";
  const events = JOBS.flatMap((job, i) => [
    {
      type: "created",
      at,
      id: job.id,
      provider: "sandbox",
      baseUrl: "http://127.0.0.1:9/sandbox",
      model: "grok-imagine-video",
      params: { prompt: job.prompt, images: [] },
      requestHash: String(i).padStart(64, "0"),
    },
    ...(job.file
      ? [
          {
            type: "status",
            at,
            id: job.id,
            provider: "sandbox",
            status: "succeeded",
            progress: 100,
            videoUrl: "http://127.0.0.1:9/v.mp4",
            error: null,
          },
          {
            type: "downloaded",
            at,
            id: job.id,
            provider: "sandbox",
            path: join(dir, job.file),
            bytes: 1,
            sha256: "0".repeat(64),
            sourceUrl: "http://127.0.0.1:9/v.mp4",
          },
        ]
      : []),
  ]);
  await writeJournalText(
    join(state(), "journal.jsonl"),
    `${events.map((e) => JSON.stringify(e)).join("\n")}\n`,
  );
}

describe("jobs on a terminal fits its width", () => {
  it("at 80 columns: no line wraps; ids cut in their middle, prompts at their end, FILE left out and said so", async () => {
    await journal();
    const run = await tty(["jobs"], 80);
    expect(run.code, run.output).toBe(0);
    expect(replayScreen(run.output, 80).wrapped, run.output).toBe(false);
    const lines = printed(run.output);
    expect(lines[0]).toMatch(/^ID +PROVIDER +STATUS +AGE +PROMPT$/);
    for (const job of JOBS) {
      const row = lines.find((l) => l.startsWith(job.id.slice(0, 11)));
      expect(row, run.output).toMatch(
        new RegExp(
          `^${job.id.slice(0, 11)}\\w*…\\w*${job.id.slice(-5)} +sandbox +(succeeded|queued) +\\S+ +${job.prompt.slice(0, 12)}`,
        ),
      );
    }
    expect(run.output).not.toContain(dir);
    expect(run.output).toContain("FILE left out to fit 80 columns; --wide shows all");
  });

  it("at 120 columns: FILE is shown relative to the working folder, cut in its middle when long", async () => {
    await journal();
    const run = await tty(["jobs"], 120);
    expect(run.code, run.output).toBe(0);
    expect(replayScreen(run.output, 120).wrapped, run.output).toBe(false);
    const lines = printed(run.output);
    expect(lines[0]).toMatch(/^ID +PROVIDER +STATUS +AGE +PROMPT +FILE$/);
    expect(lines.find((l) => l.includes(JOBS[0]?.id ?? "?"))).toMatch(/ videos\/fox\.mp4$/);
    expect(lines.find((l) => l.includes(JOBS[1]?.id ?? "?"))).toMatch(/ videos\/\S*…\S*kite\.mp4$/);
    expect(run.output).not.toContain(dir);
  });

  it("at 40 columns: id, provider and status, nothing wrapping", async () => {
    await journal();
    const run = await tty(["jobs"], 40);
    expect(run.code, run.output).toBe(0);
    const lines = printed(run.output);
    expect(lines[0]).toMatch(/^ID +PROVIDER +STATUS$/);
    const rows = lines.slice(1, 4);
    expect(
      rows.every((l) => /^task_an\S*…\S+ +sandbox +(succeeded|queued)$/.test(l)),
      run.output,
    ).toBe(true);
    for (const line of [lines[0] ?? "", ...rows]) expect(line.length, line).toBeLessThanOrEqual(39);
    // The note on stderr is prose, and may wrap.
    expect(lines[4]).toBe("AGE, PROMPT and FILE left out to fit 40 columns; --wide shows all");
  });

  it("--wide prints every column in full: absolute paths and whole prompts", async () => {
    await journal();
    const run = await tty(["jobs", "--wide"], 80);
    expect(run.code, run.output).toBe(0);
    const lines = printed(run.output);
    expect(lines[0]).toMatch(/^ID +PROVIDER +STATUS +AGE +PROMPT +FILE$/);
    const dog = lines.find((l) => l.startsWith(JOBS[1]?.id ?? "?"));
    expect(dog).toContain(JOBS[1]?.prompt);
    expect(dog?.endsWith(join(dir, JOBS[1]?.file ?? "?"))).toBe(true);
    expect(run.output).not.toContain("--wide shows");
  });

  it("off a terminal the rows are whole, as before: tab-separated, absolute paths", async () => {
    await journal();
    const r = await runCli(["jobs"], { cwd: dir, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[1]?.split("\t")).toEqual([
      JOBS[1]?.id,
      "sandbox",
      "succeeded",
      "2026-11-01T00:00:00.000Z",
      "",
      JOBS[1]?.prompt,
      join(dir, JOBS[1]?.file ?? "?"),
    ]);
    expect(r.stderr).toBe("");
  });
});

describe("providers on a terminal fits its width", () => {
  async function modelIds(): Promise<string[]> {
    const r = await runCli(["providers", "--json"], { cwd: dir, env: env() });
    const list = JSON.parse(r.stdout) as Array<{ models: Array<{ id: string }> }>;
    return list.flatMap((p) => p.models.map((m) => m.id));
  }

  it("at 80 columns: no row wraps, every model id whole, lists abbreviated, what was left out said", async () => {
    const run = await tty(["providers"], 80);
    expect(run.code, run.output).toBe(0);
    const lines = printed(run.output);
    const rows = lines.slice(
      0,
      lines.findIndex((l) => l.includes("--wide shows all")),
    );
    expect(rows[0]).toMatch(/^PROVIDER +MODEL +SECONDS +RATIOS +RES$/);
    for (const row of rows) expect(row.length, row).toBeLessThanOrEqual(79);
    for (const id of await modelIds())
      expect(
        rows.some((r) => r.includes(` ${id}`)),
        id,
      ).toBe(true);
    expect(rows.find((r) => r.startsWith("xai "))).toMatch(/^xai +grok-imagine-video \* +1-15 +1:1 .*\+\d/);
    expect(run.output).toContain("IMAGES and ALSO left out to fit 80 columns; --wide shows all");
  });

  it("at 40 columns: provider, model and seconds, no row wrapping", async () => {
    const run = await tty(["providers"], 40);
    expect(run.code, run.output).toBe(0);
    const lines = printed(run.output);
    const rows = lines.slice(
      0,
      lines.findIndex((l) => l.includes("--wide shows all")),
    );
    expect(rows[0]).toMatch(/^PROVIDER +MODEL +SECONDS$/);
    for (const row of rows) expect(row.length, row).toBeLessThanOrEqual(39);
  });

  it("--wide, and a pipe, print every column in full", async () => {
    const wide = await tty(["providers", "--wide"], 80);
    expect(wide.code, wide.output).toBe(0);
    const piped = await runCli(["providers"], { cwd: dir, env: env() });
    expect(piped.code, piped.stderr).toBe(0);
    for (const text of [wide.output, piped.stdout]) {
      expect(text).toMatch(/^PROVIDER +MODEL +SECONDS +RATIOS +RES +IMAGES +ALSO\r?$/m);
      expect(text).toContain("1:1 16:9 9:16 4:3 3:4 3:2 2:3 2:1 1:2 19.5:9 9:19.5 20:9 9:20 N:M");
      expect(text).toContain("edit, extend 2-10s, 1 req/s per key");
      expect(text).not.toContain("--wide shows");
    }
    expect(piped.stdout.split("\n").map((l) => l.replace(/\s+$/, ""))).toEqual(
      printed(wide.output)
        .filter((l) => !l.startsWith("* "))
        .map((l) => l.replace(/\s+$/, ""))
        .concat(""),
    );
  });
});
