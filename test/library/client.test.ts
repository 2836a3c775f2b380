import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
// Imported by the package's own name, through its `exports` map and built types, as a user would.
import type { GrokvidError } from "grokvid";
import {
  type BatchStreamEvent,
  ConfigError,
  createClient,
  ExitCode,
  type NormalizedTask,
  UsageError,
} from "grokvid";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { E2E_KEY, useE2e } from "../helpers/e2e.js";
import { testJournalEnv } from "../helpers/run-cli.js";
import { ManualClock } from "../helpers/clock.js";

const e2e = useE2e();

function client(extra: Record<string, string> = {}, reporter?: { warn(m: string): void }) {
  return createClient({
    env: {
      ...testJournalEnv(),
      ...e2e.envFor("apimart"),
      GROKVID_HOME: join(e2e.dir, "home"),
      HOME: e2e.dir,
      ...extra,
    },
    cwd: e2e.dir,
    provider: "apimart",
    // Polls sleep on a clock that moves at once: the sandbox's own clock steps on every request.
    clock: { ...new ManualClock(), random: Math.random },
    ...(reporter ? { reporter } : {}),
  });
}

class Collector extends Writable {
  chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk);
    done();
  }
}

describe("the library, imported as grokvid", () => {
  it("creates, waits and downloads a job in one call, journaling it", async () => {
    const updates: NormalizedTask[] = [];
    const submitted: string[] = [];
    const result = await client().create(
      { prompt: "a fox in snow", duration: 6 },
      {
        output: "fox.mp4",
        onSubmitted: (t) => void submitted.push(t.id),
        onUpdate: (t) => void updates.push(t),
      },
    );
    expect(result.task.status).toBe("succeeded");
    expect(submitted).toEqual([result.task.id]);
    expect(updates.at(-1)?.status).toBe("succeeded");
    expect(result.saved?.path).toBe(join(e2e.dir, "fox.mp4"));
    const bytes = await readFile(join(e2e.dir, "fox.mp4"));
    expect(bytes.equals(generateTaskVideo(result.task.id))).toBe(true);
    const job = await client().findJob(result.task.id);
    expect(job?.download?.sha256).toBe(result.saved?.sha256);
    const list = await client().jobs({ limit: 5 });
    expect(list.jobs.map((j) => j.id)).toEqual([result.task.id]);
  });

  it("previews the exact request without sending it, key masked", async () => {
    const preview = await client().preview({ prompt: "x" });
    expect(preview.url).toBe(`${e2e.sandbox.baseUrl("apimart")}/v1/videos/generations`);
    expect(JSON.stringify(preview)).not.toContain(E2E_KEY);
    expect(e2e.sandbox.requests).toHaveLength(0);
  });

  it("reports status and wait results as values, a failed task included", async () => {
    const { task } = await client().create({ prompt: "[fail] a broken job" });
    expect((await client().status(task.id)).id).toBe(task.id);
    const final = await client().wait(task.id);
    expect(final.status).toBe("failed");
  });

  it("writes a video into a stream the caller owns", async () => {
    const { task } = await client().create({ prompt: "to a stream" });
    const sink = new Collector();
    const progress: number[] = [];
    const out = await client().download(task.id, { to: sink, onDownload: (n) => void progress.push(n) });
    const bytes = Buffer.concat(sink.chunks);
    expect(bytes.equals(generateTaskVideo(task.id))).toBe(true);
    expect(out.streamed?.bytes).toBe(bytes.length);
    expect(progress.at(-1)).toBe(bytes.length);
    // No file was made for it.
    await expect(stat(join(e2e.dir, `apimart-${task.id}.mp4`))).rejects.toThrow();
  });

  it("runs a batch from an async iterable of specs, events out, ending with the result", async () => {
    async function* specs() {
      yield { prompt: "one" };
      yield { prompt: "two", output: "two.mp4" };
    }
    const events: BatchStreamEvent[] = [];
    for await (const event of client().batch(specs(), { outDir: "videos" })) events.push(event);
    const done = events.at(-1);
    expect(done?.type).toBe("done");
    if (done?.type !== "done") return;
    expect(done.result.exitCode).toBe(ExitCode.ok);
    expect(done.result.entries.map((e) => e.status)).toEqual(["succeeded", "succeeded"]);
    expect(events.filter((e) => e.type === "settled")).toHaveLength(2);
    expect(await stat(join(e2e.dir, "videos", "two.mp4"))).toBeTruthy();
  });

  it("refuses bad input with typed errors carrying the CLI's exit code, sending nothing", async () => {
    const err = await client()
      .create({ prompt: "x", duration: "eleventy" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as GrokvidError).exitCode).toBe(ExitCode.usage);
    const bad = client({ GROKVID_CONFIG: join(e2e.dir, "missing.json") });
    await expect(bad.create({ prompt: "x" })).rejects.toBeInstanceOf(ConfigError);
    const batch = client().batch([{ prompt: "" }, { prompt: "fine" }]);
    await expect(
      (async () => {
        for await (const _ of batch) void _;
      })(),
    ).rejects.toBeInstanceOf(UsageError);
    expect(e2e.sandbox.requests).toHaveLength(0);
  });

  it("tells its warnings to a reporter that is a class instance, and never prints", async () => {
    class Log {
      lines: string[] = [];
      warn(m: string) {
        this.lines.push(m);
      }
    }
    const log = new Log();
    e2e.sandbox.setFaults([{ kind: "rekey", target: "query" }]);
    const { task } = await client().create({ prompt: "x" });
    await client({}, log).status(task.id);
    expect(log.lines.join("\n")).toMatch(/named task/);
  });
});

describe("the client's provider is a default, not an override (issue 23 item 2)", () => {
  const both = () => ({ ...e2e.envFor("xai"), ...e2e.envFor("apimart") });

  it("a journaled job's status, and an edit of it, go where the job lives", async () => {
    const cat = await client(both()).create({ prompt: "a cat", provider: "xai" }, { wait: true });
    expect(cat.task.provider).toBe("xai");
    // The same client (provider: apimart) asks xai about its job, and edits it there.
    expect((await client(both()).status(cat.task.id)).provider).toBe("xai");
    const night = await client(both()).edit(cat.task.id, { prompt: "make it night" });
    expect(night.task.provider).toBe("xai");
    expect(e2e.sandbox.requests.filter((r) => r.method === "POST" && r.dialect === "apimart")).toEqual([]);
  });

  it("an explicit provider on the call still wins", async () => {
    const made = await client(both()).create({ prompt: "a dog" });
    expect(made.task.provider).toBe("apimart");
    const err = await client(both())
      .status(made.task.id, { provider: "xai" })
      .catch((e: unknown) => e);
    expect((err as GrokvidError).exitCode).toBe(ExitCode.provider);
  });
});

describe("library guards", () => {
  it("refuses to write a video into a terminal, before anything is sent", async () => {
    const tty = Object.assign(new Collector(), { isTTY: true });
    const before = e2e.sandbox.requests.length;
    const err = await client()
      .create({ prompt: "x" }, { to: tty })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toContain("refusing to write a video into a terminal");
    const err2 = await client()
      .download("task_any", { to: tty })
      .catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(UsageError);
    expect(e2e.sandbox.requests.length).toBe(before);
    expect(tty.chunks).toEqual([]);
  });

  it("resume({ ids }) picks up only those jobs", async () => {
    const mine = (await client().create({ prompt: "mine" })).task.id;
    const other = (await client().create({ prompt: "someone else's" })).task.id;
    const ended: string[] = [];
    const result = await client().resume({
      ids: [mine],
      onEvent: (e) => e.type === "ended" && void ended.push(e.job.id),
    });
    expect(result.total).toBe(1);
    expect(ended).toEqual([mine]);
    expect((await client().findJob(other))?.status).toBe("queued");
  });
});
