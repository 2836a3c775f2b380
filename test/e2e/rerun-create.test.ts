import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { useE2e } from "../helpers/e2e.js";
import { runCli, runUntilKilled } from "../helpers/run-cli.js";
import { creates, interruptDownload, killAfterSubmit, partOf, submittedId } from "../helpers/unsaved-job.js";

/**
 * Issue 23, item 1: the same `create -o` run again (up-arrow, Enter) after the first was stopped
 * must not pay for a second job that takes the first one's file. Each test that refuses failed on
 * the code before the path-owner check.
 */
const e2e = useE2e();

const env = () => ({ GROKVID_HOME: join(e2e.dir, "state"), ...e2e.envFor("apimart") });
const opts = () => ({ cwd: e2e.dir, env: env() });
const CREATE = [
  "create",
  "--provider",
  "apimart",
  "--prompt",
  "rerun test",
  "--wait",
  "--download",
  "-o",
  "again.mp4",
  "--interval",
  "100ms",
];
const video = (name: string) => readFile(join(e2e.dir, name));

describe("a re-run of an interrupted create", () => {
  it("Ctrl-C mid-download, same command again: exit 2 naming the job, nothing sent, the part kept; download finishes it", async () => {
    const first = await interruptDownload(e2e, CREATE, opts(), "again.mp4");
    const id = submittedId(first.stderr);
    expect(first.stderr).toContain("the partial file is kept");
    const kept = await partOf(e2e.dir, "again.mp4");

    const again = await runCli(CREATE, opts());
    expect(again.code, again.stderr).toBe(2);
    expect(creates(e2e)).toHaveLength(1);
    expect(again.stdout).toBe("");
    expect(again.stderr).toContain(`task ${id}`);
    expect(again.stderr).toContain(`grokvid download ${id}`);
    expect(again.stderr.split("\n")[0]).toMatch(/^error: again\.mp4 belongs to task /);
    expect(await partOf(e2e.dir, "again.mp4")).toEqual(kept);

    const done = await runCli(["download", id], opts());
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toBe("again.mp4\n");
    expect((await video("again.mp4")).equals(generateTaskVideo(id))).toBe(true);
    expect((await readdir(e2e.dir)).filter((f) => f.startsWith("again"))).toEqual(["again.mp4"]);
    expect(creates(e2e)).toHaveLength(1);
  }, 30_000);

  it("--force starts a new job deliberately: two creates, the new job's video at the path", async () => {
    const first = submittedId((await interruptDownload(e2e, CREATE, opts(), "again.mp4")).stderr);
    const forced = await runCli([...CREATE, "--force"], opts());
    expect(forced.code, forced.stderr).toBe(0);
    expect(creates(e2e)).toHaveLength(2);
    const second = submittedId(forced.stderr);
    expect(second).not.toBe(first);
    expect((await video("again.mp4")).equals(generateTaskVideo(second))).toBe(true);
  }, 30_000);

  it("SIGKILL while waiting (no download, no cleanup): the journal's record of -o still refuses the re-run", async () => {
    const id = await killAfterSubmit(CREATE, opts());
    expect((await readdir(e2e.dir)).filter((f) => f.startsWith("again"))).toEqual([]);

    const again = await runCli(CREATE, opts());
    expect(again.code, again.stderr).toBe(2);
    expect(again.stderr).toContain(`grokvid download ${id}`);
    expect(creates(e2e)).toHaveLength(1);

    const done = await runCli(["download", id, "--interval", "100ms"], opts());
    expect(done.code, done.stderr).toBe(0);
    expect((await video("again.mp4")).equals(generateTaskVideo(id))).toBe(true);
  }, 30_000);
});

describe("paths that are free again", () => {
  it("a job already saved leaves the usual rule: already exists; pass --force", async () => {
    const saved = await runCli(CREATE, opts());
    expect(saved.code, saved.stderr).toBe(0);
    const again = await runCli(CREATE, opts());
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/again\.mp4 already exists; pass --force/);
    expect(creates(e2e)).toHaveLength(1);
  });

  it("a job that failed at the gateway owns nothing: the next create takes the path", async () => {
    const failed = await runCli(
      CREATE.map((a) => (a === "rerun test" ? "rerun test [fail]" : a)),
      opts(),
    );
    expect(failed.code).toBe(7);
    const again = await runCli(CREATE, opts());
    expect(again.code, again.stderr).toBe(0);
    expect(creates(e2e)).toHaveLength(2);
    expect((await video("again.mp4")).equals(generateTaskVideo(submittedId(again.stderr)))).toBe(true);
  });
});

describe("a create killed before its answer came (issue 23 item 1, the uncertain case)", () => {
  it("kill -9 while the gateway holds the create, same command again: exit 2, nothing sent; --force sends anew", async () => {
    // The gateway holds the create without answering: the request may have made a paid job.
    e2e.sandbox.setFaults([{ kind: "stall", target: "create", times: 1 }]);
    const first = await runUntilKilled(CREATE, opts(), () => creates(e2e).length === 1);
    expect(first.killed).toBe(true);
    e2e.sandbox.setFaults([]);

    const again = await runCli(CREATE, opts());
    expect(again.code, again.stderr).toBe(2);
    expect(again.stderr.split("\n")[0]).toMatch(
      /^error: again\.mp4 was planned for a create sent to apimart at \S+ whose answer never came; it may have made a paid job, and nothing was sent now$/,
    );
    expect(again.stderr).toContain("then pass --force");
    expect(creates(e2e)).toHaveLength(1);

    const forced = await runCli([...CREATE, "--force"], opts());
    expect(forced.code, forced.stderr).toBe(0);
    expect(creates(e2e)).toHaveLength(2);
  }, 30_000);
});
