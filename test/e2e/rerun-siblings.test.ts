import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";
import { creates, interruptDownload, killAfterSubmit, partOf, submittedId } from "../helpers/unsaved-job.js";

/**
 * The other ways to reach a path an unsaved paid job owns (issue 23, item 1): a batch line, `download
 * ID -o`, `resume --download`, `edit -o`. Each refusal here failed on the code before the path-owner check.
 */
const e2e = useE2e();

const env = () => ({ GROKVID_HOME: join(e2e.dir, "state"), ...e2e.envFor("apimart") });
const opts = () => ({ cwd: e2e.dir, env: env() });
const create = (prompt: string, ...rest: string[]) => [
  "create",
  "--provider",
  "apimart",
  "--prompt",
  prompt,
  "--interval",
  "100ms",
  ...rest,
];
const video = (name: string) => readFile(join(e2e.dir, name));

/** A job paid for and stopped mid-download with Ctrl-C: again.mp4.part holds its first bytes. */
async function interrupted(): Promise<string> {
  const run = await interruptDownload(e2e, create("rerun test", "-o", "again.mp4"), opts(), "again.mp4");
  return submittedId(run.stderr);
}

async function batchFile(name: string, lines: object[]): Promise<string> {
  await writeFile(join(e2e.dir, name), lines.map((l) => JSON.stringify(l)).join("\n"));
  return name;
}

describe("batch", () => {
  it("a line of another request whose output an unsaved job owns is invalid: exit 2, nothing sent", async () => {
    const id = await interrupted();
    const kept = await partOf(e2e.dir, "again.mp4");
    const file = await batchFile("b.jsonl", [{ prompt: "another", output: "again.mp4" }]);
    const r = await runCli(["batch", file, "--provider", "apimart", "--interval", "100ms"], opts());
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`line 1: again\\.mp4 belongs to task ${id} .*grokvid download ${id}`),
    );
    expect(creates(e2e)).toHaveLength(1);
    expect(await partOf(e2e.dir, "again.mp4")).toEqual(kept);
  }, 30_000);

  it("the same batch again after Ctrl-C mid-download finishes its own job: one create, exact bytes", async () => {
    const file = await batchFile("b.jsonl", [{ prompt: "batch rerun", output: "b.mp4" }]);
    const args = ["batch", file, "--provider", "apimart", "--interval", "100ms"];
    await interruptDownload(e2e, args, opts(), "b.mp4");
    const again = await runCli(args, opts());
    expect(again.code, again.stderr).toBe(0);
    expect(creates(e2e)).toHaveLength(1);
    const id = again.stdout.split("\t")[1] ?? "";
    expect((await video("b.mp4")).equals(generateTaskVideo(id))).toBe(true);
  }, 30_000);
});

describe("download ID -o PATH", () => {
  it("a path another unsaved job owns is refused with exit 2; its part is untouched", async () => {
    const owner = await interrupted();
    const kept = await partOf(e2e.dir, "again.mp4");
    const other = (await runCli(create("other"), opts())).stdout.trim();
    const r = await runCli(["download", other, "-o", "again.mp4", "--interval", "100ms"], opts());
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`task ${owner}`);
    expect(r.stderr).toContain(`grokvid download ${owner}`);
    expect(await partOf(e2e.dir, "again.mp4")).toEqual(kept);
    // --force takes it deliberately.
    const forced = await runCli(
      ["download", other, "-o", "again.mp4", "--force", "--interval", "100ms"],
      opts(),
    );
    expect(forced.code, forced.stderr).toBe(0);
    expect((await video("again.mp4")).equals(generateTaskVideo(other))).toBe(true);
  }, 30_000);
});

describe("resume --download", () => {
  it("never writes over the part of another job: the job with bytes on disk gets the path", async () => {
    // A was meant for again.mp4 and killed while waiting; B took the path with --force and was
    // stopped mid-download. Resuming A first must not throw B's paid bytes away.
    const a = await killAfterSubmit(create("first", "-o", "again.mp4"), opts());
    const run = await interruptDownload(
      e2e,
      create("second", "-o", "again.mp4", "--force"),
      opts(),
      "again.mp4",
    );
    const b = submittedId(run.stderr);
    const r = await runCli(["resume", "--download", "--concurrency", "1", "--interval", "100ms"], opts());
    expect((await video("again.mp4")).equals(generateTaskVideo(b))).toBe(true);
    expect(r.stdout).toMatch(new RegExp(`^${a}\\terror\\t.*task ${b}`, "m"));
    expect(r.code).toBe(6);
    expect(creates(e2e)).toHaveLength(2);
  }, 30_000);
});

describe("edit -o", () => {
  it("an edit whose -o another unsaved job owns is refused before it is sent", async () => {
    const xenv = { GROKVID_HOME: join(e2e.dir, "state"), ...e2e.envFor("xai") };
    const xopts = { cwd: e2e.dir, env: xenv };
    const owner = await killAfterSubmit(
      ["create", "--provider", "xai", "--prompt", "a cat", "-o", "cat.mp4", "--interval", "100ms"],
      xopts,
    );
    const source = `${e2e.sandbox.baseUrl("xai")}/source.mp4`;
    const edit = ["edit", source, "--provider", "xai", "--prompt", "make it night", "-o", "cat.mp4"];
    const r = await runCli([...edit, "--interval", "100ms"], xopts);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`cat.mp4 belongs to task ${owner}`);
    expect(r.stderr).toContain(`grokvid download ${owner}`);
    expect(creates(e2e)).toHaveLength(1);
  }, 30_000);
});
