import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { downloadVideo } from "../../src/core/download/download.js";
import { loadImages } from "../../src/core/jobs/load-images.js";
import { fetchTask, submitTask } from "../../src/core/jobs/task-identity.js";
import { validateCreate } from "../../src/core/jobs/validate-create.js";
import { waitForTask } from "../../src/core/jobs/poll.js";
import { ApiError, WaitTimeoutError } from "../../src/util/errors.js";
import type { NormalizedTask } from "../../src/providers/types.js";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { type Sandbox, type SandboxDialect, startSandbox } from "../../src/sandbox/server.js";
import { ManualClock } from "../helpers/clock.js";
import { gatewayFor, makeDeps, type TestDeps } from "../helpers/http-deps.js";

let clock: ManualClock;
let sandbox: Sandbox;
let deps: TestDeps;
let dir: string;

beforeEach(async () => {
  clock = new ManualClock();
  sandbox = await startSandbox({ now: clock.now, timeline: { queuedMs: 10_000, runningMs: 60_000 } });
  deps = await makeDeps(clock);
  dir = await mkdtemp(join(tmpdir(), "grokvid-core-"));
});
afterEach(async () => {
  await deps.close();
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

const flows: Array<{ dialect: SandboxDialect; images: string[]; model?: string }> = [
  { dialect: "apimart", images: [] },
  { dialect: "xcompute", images: ["https://example.com/a.png"] },
  { dialect: "jimmyai", images: ["https://example.com/cup.jpg"] },
  { dialect: "duoyuanx", images: [] },
  { dialect: "duoyuanx", images: [], model: "grok-video-1.5-max" },
];

describe.each(flows)(
  "$dialect $model: submit, wait, download with an injected clock",
  ({ dialect, images, model }) => {
    it("walks queued -> running -> succeeded and saves the exact bytes", async () => {
      const gateway = gatewayFor(dialect, sandbox.baseUrl(dialect));
      const { params, model: spec } = validateCreate(gateway.provider, {
        prompt: "a lighthouse at dusk",
        images,
        ...(model ? { model: { value: model } } : {}),
      });
      const submitted = await submitTask(
        gateway,
        { ...params, images: await loadImages(params.images, spec) },
        spec,
        deps,
      );
      expect(submitted.task.status).toBe("queued");
      const seen: NormalizedTask["status"][] = [];
      const task = await waitForTask(
        gateway,
        submitted.task.id,
        {
          intervalMs: 5000,
          timeoutMs: 30 * 60_000,
          resumeHint: "",
          onUpdate: (t) => {
            if (seen.at(-1) !== t.status) seen.push(t.status);
          },
        },
        deps,
      );
      expect(seen).toEqual(["queued", "running", "succeeded"]);
      expect(task.progress).toBe(100);
      // Backoff: no poll waits more than 3x the interval, and a 70 s job takes a bounded number of polls.
      expect(Math.max(...deps.sleeps)).toBeLessThanOrEqual(15_000);
      expect(deps.sleeps.length).toBeLessThan(20);

      const dest = join(dir, "nested", "out.mp4");
      const saved = await downloadVideo(gateway, task, dest, { force: false }, deps.http);
      expect((await readFile(dest)).equals(generateTaskVideo(task.id))).toBe(true);
      expect(saved.bytes).toBe(generateTaskVideo(task.id).length);
      expect(await readdir(join(dir, "nested"))).toEqual(["out.mp4"]);
    });
  },
);

describe("waiting", () => {
  it("times out at the deadline, never after it, and says what it last saw", async () => {
    const gateway = gatewayFor("apimart", sandbox.baseUrl("apimart"));
    const { params, model } = validateCreate(gateway.provider, { prompt: "[never]", images: [] });
    const { task } = await submitTask(gateway, { ...params, images: [] }, model, deps);
    const start = clock.now();
    const wait = waitForTask(
      gateway,
      task.id,
      { intervalMs: 5000, timeoutMs: 120_000, resumeHint: "grokvid wait X" },
      deps,
    );
    await expect(wait).rejects.toBeInstanceOf(WaitTimeoutError);
    await expect(wait).rejects.toThrow(/last seen running, 50%/);
    expect(clock.now() - start).toBe(120_000);
  });

  it("a failed task is returned with its reason, not thrown", async () => {
    const gateway = gatewayFor("jimmyai", sandbox.baseUrl("jimmyai"));
    const { params, model } = validateCreate(gateway.provider, {
      prompt: "[fail]",
      images: ["https://e.com/a.png"],
    });
    const { task } = await submitTask(
      gateway,
      { ...params, images: await loadImages(params.images, model) },
      model,
      deps,
    );
    const done = await waitForTask(
      gateway,
      task.id,
      { intervalMs: 5000, timeoutMs: 600_000, resumeHint: "" },
      deps,
    );
    expect(done.status).toBe("failed");
    expect(done.error?.message).toContain("[fail]");
  });

  it("reads every query shape variant the same way", async () => {
    await sandbox.close();
    sandbox = await startSandbox({
      now: clock.now,
      variants: {
        apimartUrl: "string",
        xcomputeQuery: "wrapped",
        jimmyaiQuery: "flat",
        duoyuanxRunning: "in_progress",
      },
    });
    for (const dialect of ["apimart", "xcompute", "jimmyai", "duoyuanx"] as const) {
      const gateway = gatewayFor(dialect, sandbox.baseUrl(dialect));
      const images = dialect === "jimmyai" ? ["https://e.com/a.png"] : [];
      const { params, model } = validateCreate(gateway.provider, { prompt: "p", images });
      const { task } = await submitTask(
        gateway,
        { ...params, images: await loadImages(params.images, model) },
        model,
        deps,
      );
      clock.ms += 1500;
      expect((await fetchTask(gateway, task.id, deps)).task.status).toBe("running");
      clock.ms += 10_000;
      const done = (await fetchTask(gateway, task.id, deps)).task;
      expect(done.status).toBe("succeeded");
      if (dialect !== "duoyuanx") expect(done.videoUrl).toMatch(/\/files\/.+\.mp4$/);
    }
  });
});

describe("downloads", () => {
  it("refuses to overwrite without force, and overwrites with it", async () => {
    const gateway = gatewayFor("apimart", sandbox.baseUrl("apimart"));
    const { params, model } = validateCreate(gateway.provider, { prompt: "p", images: [] });
    const { task } = await submitTask(gateway, { ...params, images: [] }, model, deps);
    clock.ms += 100_000;
    const done = (await fetchTask(gateway, task.id, deps)).task;
    const dest = join(dir, "v.mp4");
    await downloadVideo(gateway, done, dest, { force: false }, deps.http);
    await expect(downloadVideo(gateway, done, dest, { force: false }, deps.http)).rejects.toThrow(
      /already exists/,
    );
    await expect(downloadVideo(gateway, done, dest, { force: true }, deps.http)).resolves.toMatchObject({
      path: dest,
    });
  });

  it("a video URL that is gone fails with exit 6 and leaves nothing at the final path", async () => {
    const gateway = gatewayFor("apimart", sandbox.baseUrl("apimart"));
    const fake: NormalizedTask = {
      id: "task_gone",
      provider: "apimart",
      model: null,
      status: "succeeded",
      progress: 100,
      videoUrl: `${sandbox.url}/files/task_gone.mp4`,
      error: null,
      createdAt: null,
      updatedAt: new Date(0).toISOString(),
      raw: {},
    };
    const dest = join(dir, "gone.mp4");
    const err = await downloadVideo(gateway, fake, dest, { force: false }, deps.http).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ exitCode: 6 });
    expect(await readdir(dir)).toEqual([]);
  });
});
