import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createClient } from "../../src/core/client/client.js";
import { ConfigError, type GrokvidError, UsageError } from "../../src/util/errors.js";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { PNG_1X1 } from "../fixtures/images.js";
import { ManualClock, steppingClock } from "../helpers/clock.js";
import { E2E_KEY, useE2e } from "../helpers/e2e.js";
import { readJournalText } from "../helpers/journal-text.js";
import { testJournalEnv } from "../helpers/run-cli.js";

// A step of a second per request: the sandbox's 1-create-per-second limit runs on this clock, and
// the clients' own (manual) clocks cannot space their creates on it.
const e2e = useE2e({ now: steppingClock(1000) });

/** The library over real HTTP to the sandbox's xai dialect; sleeps (polls, pacing) move a manual clock. */
function client(extra: Record<string, string> = {}) {
  return createClient({
    env: {
      ...testJournalEnv(),
      ...e2e.envFor("xai"),
      GROKVID_HOME: join(e2e.dir, "home"),
      HOME: e2e.dir,
      ...extra,
    },
    cwd: e2e.dir,
    provider: "xai",
    clock: { ...new ManualClock(), random: Math.random },
  });
}

const creates = () => e2e.sandbox.requests.filter((r) => r.method === "POST");
const downloads = () => e2e.sandbox.requests.filter((r) => r.dialect === "files" && r.method === "GET");

describe("xai against the sandbox", () => {
  it("text-to-video: sends exactly the documented fields, waits through 202s, saves the exact bytes", async () => {
    const result = await client().create(
      { prompt: "a cat playing with a ball", duration: 5, ratio: "9:16", resolution: "720p" },
      { output: "cat.mp4" },
    );
    expect(result.task.status).toBe("succeeded");
    expect(creates().map((r) => [r.path, r.body])).toEqual([
      [
        "/xai/v1/videos/generations",
        {
          model: "grok-imagine-video",
          prompt: "a cat playing with a ball",
          duration: 5,
          aspect_ratio: "9:16",
          resolution: "720p",
        },
      ],
    ]);
    // The sandbox answers 202 while the video is made; some poll saw it, none was an error.
    const polls = e2e.sandbox.requests.filter((r) => r.method === "GET" && r.dialect === "xai");
    expect(polls.some((r) => r.status === 202)).toBe(true);
    const bytes = await readFile(join(e2e.dir, "cat.mp4"));
    expect(bytes.equals(generateTaskVideo(result.task.id))).toBe(true);
    // The CDN URL is fetched without the key, even on the gateway's host.
    expect(downloads().length).toBeGreaterThan(0);
    expect(downloads().every((r) => r.sentKey === false)).toBe(true);
  });

  it("image-to-video from a local file: the image goes as a data: URI under image.url; exact bytes saved", async () => {
    await writeFile(join(e2e.dir, "cat.png"), PNG_1X1);
    const result = await client().create(
      { prompt: "the cat wakes up", images: ["cat.png"] },
      { output: "wake.mp4" },
    );
    expect(result.task.status).toBe("succeeded");
    const body = creates()[0]?.body;
    expect(body).toEqual({
      model: "grok-imagine-video",
      prompt: "the cat wakes up",
      image: { url: `data:image/png;base64,${PNG_1X1.toString("base64")}` },
    });
    expect((await readFile(join(e2e.dir, "wake.mp4"))).equals(generateTaskVideo(result.task.id))).toBe(true);
  });

  it("reference-to-video: reference_images in order, and the job runs to a saved video", async () => {
    await writeFile(join(e2e.dir, "b.png"), PNG_1X1);
    const result = await client().create(
      { prompt: "<IMAGE_1> meets <IMAGE_2>", referenceImages: ["https://example.com/a.png", "b.png"] },
      { output: "refs.mp4" },
    );
    expect((await readFile(join(e2e.dir, "refs.mp4"))).equals(generateTaskVideo(result.task.id))).toBe(true);
    expect(creates()[0]?.body).toEqual({
      model: "grok-imagine-video",
      prompt: "<IMAGE_1> meets <IMAGE_2>",
      reference_images: [
        { url: "https://example.com/a.png" },
        { url: `data:image/png;base64,${PNG_1X1.toString("base64")}` },
      ],
    });
  });

  it("edit and extend a journaled job: the source's URL is sent, both are journaled with their source", async () => {
    const original = await client().create({ prompt: "a cat", duration: 6 }, { wait: true });
    expect(original.task.videoUrl).toBeTruthy();
    const edited = await client().edit(
      original.task.id,
      { prompt: "make it night" },
      { output: "night.mp4" },
    );
    expect(edited.task.status).toBe("succeeded");
    const extended = await client().extend(
      original.task.id,
      { prompt: "the cat jumps", duration: 4 },
      { output: "long.mp4" },
    );
    expect(extended.task.status).toBe("succeeded");
    const [, edit, extend] = creates();
    expect(edit?.path).toBe("/xai/v1/videos/edits");
    expect(edit?.body).toEqual({
      model: "grok-imagine-video",
      prompt: "make it night",
      video: { url: original.task.videoUrl },
    });
    expect(extend?.path).toBe("/xai/v1/videos/extensions");
    expect(extend?.body).toMatchObject({ duration: 4, video: { url: original.task.videoUrl } });
    for (const [result, file] of [
      [edited, "night.mp4"],
      [extended, "long.mp4"],
    ] as const) {
      const bytes = await readFile(join(e2e.dir, file));
      expect(bytes.equals(generateTaskVideo(result.task.id))).toBe(true);
    }
    const job = await client().findJob(extended.task.id);
    expect(job?.params.source).toEqual({ operation: "extend", from: original.task.id });
    expect(job?.params.duration).toBe(4);
  });

  it("a source that is neither a journaled job nor a URL is refused before anything is sent", async () => {
    const err = await client()
      .edit("no-such-job", { prompt: "x" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as GrokvidError).message).toMatch(/neither a video URL nor a job in the journal/);
    expect(e2e.sandbox.requests).toHaveLength(0);
  });

  it("a public video URL as the source is sent as it is", async () => {
    const url = "https://example.com/clip.mp4";
    await client().edit(url, { prompt: "snow" });
    expect(creates()[0]?.body).toMatchObject({ video: { url } });
  });

  it("a moderated video fails with code moderated, probably billed: the cost is kept", async () => {
    const { task } = await client().create({ prompt: "[moderated] something" });
    const final = await client().wait(task.id);
    expect(final.status).toBe("failed");
    expect(final.error?.code).toBe("moderated");
    expect(final.error?.message).toMatch(/probably billed/);
    expect(final.cost?.usd).toBeGreaterThan(0);
    expect(final.videoUrl).toBeNull();
  });

  it("an expired request ends as expired", async () => {
    const { task } = await client().create({ prompt: "[expired] slow" });
    const final = await client().wait(task.id);
    expect(final.status).toBe("expired");
  });

  it("records the cost in the task, the journal and the job list", async () => {
    const result = await client().create(
      { prompt: "priced", duration: 5, resolution: "720p" },
      { wait: true },
    );
    // grok-imagine-video at 720p: $0.07 per second in the sandbox's price list.
    expect(result.task.cost?.usd).toBeCloseTo(0.35, 10);
    const job = await client().findJob(result.task.id);
    expect(job?.cost?.usd).toBeCloseTo(0.35, 10);
    const journal = await readJournalText(join(e2e.dir, "home", "journal.jsonl"));
    expect(journal).toContain('"cost":{"usd":0.35');
    expect(journal).not.toContain(E2E_KEY);
  });

  it("a batch of xai jobs ends with the total cost the gateway reported", async () => {
    const events = [];
    const specs = [
      { prompt: "one", duration: 2 },
      { prompt: "two", duration: 4 },
    ];
    for await (const event of client().batch(specs, { outDir: "videos" })) events.push(event);
    const done = events.at(-1);
    if (done?.type !== "done") throw new Error("the batch did not finish");
    expect(done.result.entries.map((e) => e.cost?.usd)).toEqual([0.1, 0.2]);
    // 6 seconds at the default 480p, $0.05 per second.
    expect(done.result.summary).toContain("cost $0.30 (2 jobs with a reported cost)");
  });

  it("refuses before sending an edit of a video longer than 8.7 s and an extension past 15 s", async () => {
    const long = await client().create({ prompt: "ten seconds", duration: 10 }, { wait: true });
    const eight = await client().create({ prompt: "the default 8 seconds" }, { wait: true });
    e2e.sandbox.requests.length = 0;
    const edit = await client()
      .edit(long.task.id, { prompt: "x" })
      .catch((e: unknown) => e);
    expect(edit).toBeInstanceOf(UsageError);
    expect((edit as UsageError).message).toMatch(/is 10 s long; xai edits videos of at most 8.7 s/);
    const longer = await client().extend(eight.task.id, { prompt: "on", duration: 10 }, { wait: true });
    expect((await client().findJob(longer.task.id))?.params.seconds).toBe(18);
    e2e.sandbox.requests.length = 0;
    const again = await client()
      .extend(longer.task.id, { prompt: "and on" })
      .catch((e: unknown) => e);
    expect((again as UsageError).message).toMatch(/is 18 s long; xai extends videos of 2-15 s/);
    expect(e2e.sandbox.requests.filter((r) => r.method === "POST")).toHaveLength(0);
  });

  it("a create refused for rate (429) is sent again after Retry-After: xAI made nothing", async () => {
    e2e.sandbox.setFaults([{ kind: "rate-limit", target: "create", dialect: "xai", times: 1 }]);
    const { task } = await client().create({ prompt: "once refused" });
    expect(task.status).toBe("queued");
    expect(creates().map((r) => r.status)).toEqual([429, 200]);
  });

  it("a home where the key's turn cannot be taken stops the create with nothing sent, and nothing uncertain", async () => {
    await mkdir(join(e2e.dir, "home"), { recursive: true });
    await writeFile(join(e2e.dir, "home", "claims"), "not a folder");
    const err = await client()
      .create({ prompt: "never sent" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/nothing was sent/);
    expect(e2e.sandbox.requests).toHaveLength(0);
    expect((await client().jobs()).uncertain).toEqual([]);
  });

  it("a re-run batch still counts what its earlier lines cost", async () => {
    const specs = [{ prompt: "one", duration: 2 }];
    for await (const _ of client().batch(specs, { outDir: "videos" })) void _;
    let summary = "";
    for await (const event of client().batch(specs, { outDir: "videos" })) {
      if (event.type === "done") summary = event.result.summary;
    }
    expect(summary).toContain("1 skipped (done earlier)");
    // Said as what earlier runs paid, not as this run's spending (issue 23 item 9).
    expect(summary).toContain("cost $0.10 (1 job with a reported cost) paid in earlier runs");
  });
});
