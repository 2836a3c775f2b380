import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { useE2e } from "../helpers/e2e.js";
import { readJournalText } from "../helpers/journal-text.js";
import { runCli, runUntilKilled } from "../helpers/run-cli.js";

/** Where a batch writes: its output folder, whatever folder a later command runs in. */
const e2e = useE2e();

function env(): Record<string, string> {
  return { GROKVID_HOME: join(e2e.dir, "state"), ...e2e.envFor("apimart") };
}

const posts = () => e2e.sandbox.requests.filter((r) => r.method === "POST");

async function batch(lines: unknown[], extra: string[], cwd = e2e.dir) {
  await writeFile(join(cwd, "b.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n"));
  return runCli(["batch", "b.jsonl", "--provider", "apimart", "--interval", "100ms", ...extra], {
    cwd,
    env: env(),
  });
}

describe("a line's output lives in the batch's output folder", () => {
  it("a relative output resolves against --out-dir, not the working folder", async () => {
    const r = await batch([{ prompt: "a", output: "clip.mp4" }], ["--out-dir", "videos"]);
    expect(r.code, r.stderr).toBe(0);
    expect((await readdir(join(e2e.dir, "videos"))).sort()).toEqual(["clip.json", "clip.mp4"]);
    expect(await readdir(e2e.dir)).not.toContain("clip.mp4");
  });

  it("an absolute or climbing output with --out-dir is refused before anything is sent", async () => {
    for (const output of [join(e2e.dir, "abs.mp4"), "../up.mp4"]) {
      const r = await batch([{ prompt: "a", output }], ["--out-dir", "videos"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("line 1:");
      expect(r.stderr).toContain("--out-dir");
    }
    expect(posts()).toEqual([]);
  });

  it("the journal stores absolute paths; resume from another folder finishes in the batch's folder", async () => {
    await writeFile(join(e2e.dir, "b.jsonl"), JSON.stringify({ prompt: "far away" }));
    const run = await runUntilKilled(
      [
        "batch",
        "b.jsonl",
        "--provider",
        "apimart",
        "--interval",
        "100ms",
        "--out-dir",
        "videos",
        "--template",
        "{index}-{id}.mp4",
      ],
      { cwd: e2e.dir, env: env() },
      (stderr) => /submitted task \S+/.test(stderr),
    );
    expect(run.killed).toBe(true);
    const id = /submitted task (\S+)/.exec(run.stderr)?.[1] ?? "";
    const elsewhere = join(e2e.dir, "elsewhere");
    await mkdir(elsewhere);
    const r = await runCli(["resume", "--download", "--interval", "100ms"], { cwd: elsewhere, env: env() });
    expect(r.code, r.stderr).toBe(0);
    const video = join(e2e.dir, "videos", `1-${id}.mp4`);
    expect((await readFile(video)).equals(generateTaskVideo(id))).toBe(true);
    expect(JSON.parse(await readFile(join(e2e.dir, "videos", `1-${id}.json`), "utf8"))).toMatchObject({
      id,
      prompt: "far away",
    });
    expect(await readdir(elsewhere)).toEqual([]);
    const journal = await readJournalText(join(e2e.dir, "state", "journal.jsonl"));
    const downloaded = journal
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; path?: string })
      .find((e) => e.type === "downloaded");
    expect(downloaded?.path).toBe(video);
  }, 30_000);
});

describe("sidecars never collide with videos or other files", () => {
  it("a video named clip.json gets clip.meta.json as its sidecar, never itself", async () => {
    const r = await batch([{ prompt: "a", output: "clip.json" }], ["--out-dir", "o"]);
    expect(r.code, r.stderr).toBe(0);
    expect((await readdir(join(e2e.dir, "o"))).sort()).toEqual(["clip.json", "clip.meta.json"]);
    const [id] = r.stdout.split("\t").slice(1, 2);
    expect((await readFile(join(e2e.dir, "o", "clip.json"))).equals(generateTaskVideo(id ?? ""))).toBe(true);
  });

  it("one line's sidecar may not be another line's video", async () => {
    const r = await batch(
      [
        { prompt: "a", output: "a.mp4" },
        { prompt: "b", output: "a.json" },
      ],
      ["--out-dir", "o"],
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 2: .*line 1/);
    expect(posts()).toEqual([]);
  });

  it("a sidecar name that exists already is refused without --force", async () => {
    await mkdir(join(e2e.dir, "o"));
    await writeFile(join(e2e.dir, "o", "a.json"), "precious");
    const r = await batch([{ prompt: "a", output: "a.mp4" }], ["--out-dir", "o"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 1: .*a\.json already exists/);
    expect(posts()).toEqual([]);
    expect(await readFile(join(e2e.dir, "o", "a.json"), "utf8")).toBe("precious");
  });
});
