import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/util/errors.js";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { useE2e } from "../helpers/e2e.js";
import { runCli } from "../helpers/run-cli.js";

const e2e = useE2e();
const FAST = ["--interval", "100ms"];

function cli(args: string[], input = "") {
  return runCli(args, {
    cwd: e2e.dir,
    env: { ...e2e.envFor("apimart"), GROKVID_HOME: join(e2e.dir, "state") },
    input,
  });
}

async function created(prompt: string): Promise<string> {
  const r = await cli(["create", "--provider", "apimart", "--prompt", prompt]);
  expect(r.code).toBe(0);
  return r.stdout.trim();
}

describe("- as the id reads ids from standard input", () => {
  it("status -: one line per id, in input order, blank lines skipped", async () => {
    const [a, b] = [await created("one"), await created("two")];
    const r = await cli(["status", "-"], `${b}\n\n  \n${a}\r\n`);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.map((l) => l.split("\t")[0])).toEqual([b, a]);
  });

  it("wait - --json: one JSON document per id, one per line", async () => {
    const [a, b] = [await created("one"), await created("two")];
    const r = await cli(["wait", "-", "--json", ...FAST], `${a}\n${b}\n`);
    expect(r.code).toBe(0);
    const docs = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; status: string });
    expect(docs.map((d) => [d.id, d.status])).toEqual([
      [a, "succeeded"],
      [b, "succeeded"],
    ]);
  });

  it("wait -: every id is waited for, and the exit code is the worst (7 for a failed task)", async () => {
    const [bad, good] = [await created("[fail] a fox"), await created("a dog")];
    const r = await cli(["wait", "-", ...FAST], `${bad}\n${good}\n`);
    expect(r.code).toBe(ExitCode.taskFailed);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.map((l) => l.split("\t").slice(0, 2))).toEqual([
      [bad, "failed"],
      [good, "succeeded"],
    ]);
    expect(r.stderr).toContain(`error: ${bad}: task ${bad} failed on apimart`);
    expect(r.stderr).toContain("1 of 2 ids did not succeed");
  });

  it("download - -o DIR/: each video saved, each path printed", async () => {
    const [a, b] = [await created("one"), await created("two")];
    const r = await cli(["download", "-", "-o", "videos/", ...FAST], `${a}\n${b}\n`);
    expect(r.code).toBe(0);
    const paths = r.stdout.trimEnd().split("\n");
    expect(paths).toHaveLength(2);
    for (const [i, id] of [a, b].entries()) {
      expect(paths[i]).toContain(id);
      expect((await readFile(join(e2e.dir, paths[i] ?? ""))).equals(generateTaskVideo(id))).toBe(true);
    }
  });

  it("an invalid id anywhere on stdin is refused before anything is sent (exit 2)", async () => {
    const r = await cli(["status", "-", "--provider", "apimart"], "task_ok\nbad id\n");
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toContain('standard input line 2: "bad id" is not a task id');
    expect(e2e.sandbox.requests).toHaveLength(0);
  });

  it("no ids on stdin, or -o - with ids from stdin, is a usage error", async () => {
    expect((await cli(["status", "-", "--provider", "apimart"], "\n\n")).code).toBe(ExitCode.usage);
    const r = await cli(["download", "-", "-o", "-", "--provider", "apimart"], "task_a\n");
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toContain("-o - takes one task id");
    expect(e2e.sandbox.requests).toHaveLength(0);
  });
});
