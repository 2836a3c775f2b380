import { execFileSync } from "node:child_process";
import { readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { downloadVideo } from "../../src/core/download/download.js";
import { fetchTask, submitTask } from "../../src/core/jobs/task-identity.js";
import { validateCreate } from "../../src/core/jobs/validate-create.js";
import type { NormalizedTask } from "../../src/providers/types.js";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { E2E_KEY, useE2e } from "../helpers/e2e.js";
import { gatewayFor, makeDeps } from "../helpers/http-deps.js";
import { runCli } from "../helpers/run-cli.js";

const e2e = useE2e();
const env = () => ({ ...e2e.envFor("apimart"), GROKVID_HOME: join(e2e.dir, "home") });
const gateway = () => gatewayFor("apimart", e2e.sandbox.baseUrl("apimart"), E2E_KEY);
const videoGets = () => e2e.sandbox.requests.filter((r) => r.method === "GET" && r.dialect === "files");

/** A finished sandbox task (its clock steps on every request, so a few queries finish it). */
async function finishedTask(): Promise<NormalizedTask> {
  const deps = await makeDeps();
  try {
    const { params, model } = validateCreate(gateway().provider, { prompt: "p", images: [] });
    const { task } = await submitTask(gateway(), { ...params, images: [] }, model, deps);
    for (;;) {
      const seen = (await fetchTask(gateway(), task.id, deps)).task;
      if (seen.status === "succeeded") return seen;
    }
  } finally {
    await deps.close();
  }
}

describe("download adopts its own finished file", () => {
  it("killed between the final rename and the record: a re-run exits 0 without downloading again", async () => {
    const task = await finishedTask();
    const dest = join(e2e.dir, "v.mp4");
    const deps = await makeDeps();
    // The state a kill leaves: the file has its final name, its proof is in v.mp4.part.json.
    const killed = new Error("SIGKILL");
    await expect(
      downloadVideo(
        gateway(),
        task,
        dest,
        { force: false, onSaved: () => Promise.reject(killed) },
        deps.http,
      ),
    ).rejects.toBe(killed);
    await deps.close();
    const gets = videoGets().length;
    const again = await runCli(["download", task.id, "--provider", "apimart", "-o", "v.mp4"], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(again.stderr).not.toContain("already exists");
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("v.mp4\n");
    expect(videoGets()).toHaveLength(gets);
    expect((await readFile(dest)).equals(generateTaskVideo(task.id))).toBe(true);
    expect((await readdir(e2e.dir)).filter((f) => f.startsWith("v.mp4"))).toEqual(["v.mp4"]);
  });
});

describe("file names the file system cannot hold", () => {
  it("create with an -o name too long in bytes is refused with exit 2 before anything is sent", async () => {
    const name = `${"長い名前".repeat(25)}.mp4`;
    const res = await runCli(["create", "--provider", "apimart", "--prompt", "p", "-o", name], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/at most 245 bytes/);
    expect(e2e.sandbox.requests.filter((r) => r.method === "POST")).toEqual([]);
  });

  it("a long non-ASCII template name is shortened to fit and the download completes", async () => {
    const task = await finishedTask();
    await writeFile(
      join(e2e.dir, "cfg.json"),
      JSON.stringify({ download: { template: `${"動画".repeat(120)}-{id}.mp4` } }),
    );
    const res = await runCli(["download", task.id, "--provider", "apimart", "--config", "cfg.json"], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(res.stderr).not.toContain("ENAMETOOLONG");
    expect(res.code).toBe(0);
    const saved = res.stdout.trim();
    expect(Buffer.byteLength(`${saved.split("/").at(-1)}.part.json`)).toBeLessThanOrEqual(255);
    expect((await readFile(join(e2e.dir, saved))).equals(generateTaskVideo(task.id))).toBe(true);
  });
});

describe("a trickling download", () => {
  it("is broken off below download.lowSpeed from the config and continued with Range", async () => {
    const task = await finishedTask();
    await writeFile(
      join(e2e.dir, "cfg.json"),
      JSON.stringify({ download: { lowSpeed: { bytesPerSecond: 100_000, time: "200ms" } } }),
    );
    e2e.sandbox.setFaults([{ kind: "trickle", target: "download" }]);
    const res = await runCli(
      ["download", task.id, "--provider", "apimart", "-o", "v.mp4", "--config", "cfg.json"],
      {
        cwd: e2e.dir,
        env: env(),
      },
    );
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/slower than 100000 bytes\/s/);
    expect(videoGets().map((r) => r.fault)).toEqual(["trickle", undefined]);
    expect((await readFile(join(e2e.dir, "v.mp4"))).equals(generateTaskVideo(task.id))).toBe(true);
  });
});

describe("a download redirected off http(s)", () => {
  it("to file: is refused on the first answer with one clear line: one request, no retries", async () => {
    const task = await finishedTask();
    e2e.sandbox.setFaults([{ kind: "redirect-file", target: "download", times: Infinity }]);
    try {
      const res = await runCli(["download", task.id, "--provider", "apimart", "-o", "v.mp4"], {
        cwd: e2e.dir,
        env: env(),
      });
      expect(res.code).toBe(6);
      const origin = new URL(e2e.sandbox.baseUrl("apimart")).origin;
      expect(res.stderr.split("\n").filter((line) => line.startsWith("error:"))).toEqual([
        `error: refusing the redirect from ${origin} to a file: URL: a video is only downloaded over http(s)`,
      ]);
      expect(res.stderr).not.toMatch(/retrying|internal error/);
      expect(videoGets().map((r) => r.fault)).toEqual(["redirect-file"]);
      expect((await readdir(e2e.dir)).filter((f) => f.startsWith("v.mp4"))).toEqual([]);
    } finally {
      e2e.sandbox.setFaults([]);
    }
  });
});

describe("batch writes only where the user meant", () => {
  it("links at sidecar and manifest temp names, a video named .json, an existing sidecar", async () => {
    const victim = join(e2e.dir, "victim.txt");
    await writeFile(victim, "precious");
    // Where the old code wrote its temp files before renaming them.
    await symlink(victim, join(e2e.dir, "m.json.tmp"));
    await symlink(victim, join(e2e.dir, "b.json.tmp"));
    await writeFile(join(e2e.dir, "c.json"), "mine");
    const lines = [
      { prompt: "one", provider: "apimart", output: "clip.json" },
      { prompt: "two", provider: "apimart", output: "b.mp4" },
      { prompt: "three", provider: "apimart", output: "c.mp4" },
    ];
    await writeFile(join(e2e.dir, "jobs.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n"));
    const res = await runCli(
      ["batch", "jobs.jsonl", "--manifest", "m.json", "--interval", "100ms", "--skip-invalid"],
      {
        cwd: e2e.dir,
        env: env(),
      },
    );
    expect(await readFile(victim, "utf8")).toBe("precious");
    expect(await readFile(join(e2e.dir, "c.json"), "utf8")).toBe("mine");
    const manifest = JSON.parse(await readFile(join(e2e.dir, "m.json"), "utf8")) as Array<{
      line: number;
      id: string;
      status: string;
      error: string | null;
    }>;
    const [clip, b, c] = manifest;
    expect((await readFile(join(e2e.dir, "clip.json"))).equals(generateTaskVideo(clip?.id ?? ""))).toBe(true);
    expect(JSON.parse(await readFile(join(e2e.dir, "clip.meta.json"), "utf8"))).toMatchObject({
      id: clip?.id,
    });
    expect(JSON.parse(await readFile(join(e2e.dir, "b.json"), "utf8"))).toMatchObject({ id: b?.id });
    // The planner refuses c.mp4 before sending (its sidecar c.json exists); with --skip-invalid the
    // lines that were sent decide the exit code.
    expect(c?.status).toBe("invalid");
    expect(c?.error).toMatch(/c\.json already exists/);
    expect(res.code).toBe(0);
  });
});

describe("the disk refusing a paid video", () => {
  it("a folder where the .part goes: exit 6 with how to save it elsewhere, not an internal error", async () => {
    await import("node:fs/promises").then((fs) => fs.mkdir(join(e2e.dir, "c.mp4.part")));
    const r = await runCli(
      ["create", "--provider", "apimart", "--prompt", "p", "-o", "c.mp4", "--interval", "100ms"],
      {
        cwd: e2e.dir,
        env: env(),
      },
    );
    expect(r.code).toBe(6);
    expect(r.stderr).not.toContain("internal error");
    expect(r.stderr).toMatch(/cannot save the video of task \S+ to .*c\.mp4 \(EISDIR\)/);
    expect(r.stderr).toMatch(/grokvid download \S+ -o PATH/);
  });

  it("-o with a trailing slash is a folder that gets the default name", async () => {
    const r = await runCli(
      ["create", "--provider", "apimart", "--prompt", "p", "-o", "a.mp4/", "--interval", "100ms"],
      {
        cwd: e2e.dir,
        env: env(),
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const id = /submitted task (\S+)/.exec(r.stderr)?.[1] ?? "";
    expect(await readdir(join(e2e.dir, "a.mp4"))).toEqual([`apimart-${id}.mp4`]);
  });

  it("--force never replaces a device or a pipe: refused before anything is sent", async () => {
    // A FIFO stands in for /dev/null, which a regression here would destroy on the test machine.
    const fifo = join(e2e.dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const r = await runCli(["create", "--provider", "apimart", "--prompt", "p", "-o", fifo, "--force"], {
      cwd: e2e.dir,
      env: env(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${fifo} is not a regular file`);
    expect(e2e.sandbox.requests.filter((q) => q.method === "POST")).toEqual([]);
  });
});
