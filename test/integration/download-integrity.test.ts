import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { downloadVideo } from "../../src/core/download/download.js";
import { DownloadError } from "../../src/core/download/download-error.js";
import { fetchVideo } from "../../src/core/download/fetch-video.js";
import { defaultOutputPath } from "../../src/core/download/output-path.js";
import { fetchTask, submitTask } from "../../src/core/jobs/task-identity.js";
import { validateCreate } from "../../src/core/jobs/validate-create.js";
import type { NormalizedTask } from "../../src/providers/types.js";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { type FaultKind, type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { ManualClock } from "../helpers/clock.js";
import { gatewayFor, makeDeps, type TestDeps } from "../helpers/http-deps.js";

let clock: ManualClock;
let sandbox: Sandbox;
let deps: TestDeps;
let dir: string;

beforeEach(async () => {
  clock = new ManualClock();
  sandbox = await startSandbox({ now: clock.now, timeline: { queuedMs: 1000, runningMs: 1000 } });
  deps = await makeDeps(clock);
  dir = await mkdtemp(join(tmpdir(), "grokvid-integrity-"));
});
afterEach(async () => {
  await deps.close();
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

const gateway = () => gatewayFor("apimart", sandbox.baseUrl("apimart"));

async function finishedTask(): Promise<NormalizedTask> {
  const { params, model } = validateCreate(gateway().provider, { prompt: "p", images: [] });
  const { task } = await submitTask(gateway(), { ...params, images: [] }, model, deps);
  clock.ms += 10_000;
  return (await fetchTask(gateway(), task.id, deps)).task;
}

/** The GETs of the video itself, in order (status queries excluded). */
const videoGets = () => sandbox.requests.filter((r) => r.method === "GET" && r.dialect === "files");
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** What an earlier, interrupted download of `task` leaves: its first bytes and the part meta. */
async function plantPart(dest: string, task: NormalizedTask, bytes: Buffer): Promise<void> {
  await writeFile(`${dest}.part`, bytes);
  await writeFile(`${dest}.part.json`, JSON.stringify({ taskId: task.id, etag: null }));
}

describe("only a video is ever saved", () => {
  it.each<FaultKind>(["no-content-type", "json-octet-stream"])(
    "%s: refused by its first bytes, nothing saved and no .part to continue",
    async (kind) => {
      const task = await finishedTask();
      sandbox.setFaults([{ kind, target: "download" }]);
      const err = await downloadVideo(gateway(), task, join(dir, "v.mp4"), { force: false }, deps.http).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DownloadError);
      expect(err).toMatchObject({ reason: "final", message: expect.stringMatching(/is not a video/) });
      expect(await readdir(dir)).toEqual([]);
    },
  );

  it("a .part that does not start like a video is restarted, not continued", async () => {
    const task = await finishedTask();
    const dest = join(dir, "v.mp4");
    await plantPart(dest, task, Buffer.from("<!DOCTYPE html><html><body>login</body></html>"));
    const saved = await downloadVideo(gateway(), task, dest, { force: false }, deps.http);
    expect(videoGets().map((r) => r.fault)).toEqual([undefined]);
    expect(saved.resumedFrom).toBe(0);
    expect((await readFile(dest)).equals(generateTaskVideo(task.id))).toBe(true);
  });

  it("a genuine .part is continued: the sniff reads its first bytes, not the ranged rest", async () => {
    const task = await finishedTask();
    const dest = join(dir, "v.mp4");
    await plantPart(dest, task, generateTaskVideo(task.id).subarray(0, 400));
    const saved = await downloadVideo(gateway(), task, dest, { force: false }, deps.http);
    expect(saved.resumedFrom).toBe(400);
    expect((await readFile(dest)).equals(generateTaskVideo(task.id))).toBe(true);
  });
});

describe("a 206 longer than its Content-Range", () => {
  it("never grows the .part past the total, and a clean restart gets the exact bytes", async () => {
    const task = await finishedTask();
    const dest = join(dir, "v.mp4");
    const video = generateTaskVideo(task.id);
    await plantPart(dest, task, video.subarray(0, 400));
    sandbox.setFaults([{ kind: "oversized-range", target: "download" }]);
    const seen: Array<[number, number | undefined]> = [];
    const { saved } = await fetchVideo(
      gateway(),
      task,
      dest,
      { force: false, onProgress: (received, total) => seen.push([received, total]) },
      deps,
    );
    expect(seen.every(([received, total]) => total === undefined || received <= total)).toBe(true);
    expect(videoGets().map((r) => r.fault)).toEqual(["oversized-range", undefined]);
    expect(saved).toMatchObject({ bytes: video.length, sha256: sha256(video), resumedFrom: 0 });
    expect((await readFile(dest)).equals(video)).toBe(true);
    expect(await readdir(dir)).toEqual(["v.mp4"]);
  });
});

describe("a trickling server", () => {
  it("is given up below the speed limit (injected clock) and continued with Range", async () => {
    const task = await finishedTask();
    const dest = join(dir, "v.mp4");
    // Every reading of the client's clock moves it 5 s on: the 30 s window passes after a few chunks.
    let now = clock.ms;
    const http = {
      ...deps.http,
      now: () => (now += 5000),
      lowSpeed: { bytesPerSecond: 1024, windowMs: 30_000 },
    };
    sandbox.setFaults([{ kind: "trickle", target: "download" }]);
    const retries: string[] = [];
    const { saved } = await fetchVideo(
      gateway(),
      task,
      dest,
      { force: false, onRetry: (m) => retries.push(m) },
      { ...deps, http },
    );
    expect(retries[0]).toMatch(/slower than 1024 bytes\/s/);
    expect(videoGets().map((r) => r.fault)).toEqual(["trickle", undefined]);
    expect(saved.resumedFrom).toBeGreaterThan(0);
    expect((await readFile(dest)).equals(generateTaskVideo(task.id))).toBe(true);
  });
});

describe("symlinks planted at grokvid's own file names", () => {
  it.each([".part", ".part.json", ".part.lock"])(
    "<out>%s pointing at another file: that file is never written",
    async (suffix) => {
      const task = await finishedTask();
      const dest = join(dir, "v.mp4");
      const victim = join(dir, "victim.txt");
      await writeFile(victim, "precious");
      await symlink(victim, `${dest}${suffix}`);
      // A meta naming this task would make an unsafe client continue (append to) the linked file.
      if (suffix === ".part")
        await writeFile(`${dest}.part.json`, JSON.stringify({ taskId: task.id, etag: null }));
      const saved = await downloadVideo(gateway(), task, dest, { force: false }, deps.http);
      expect(await readFile(victim, "utf8")).toBe("precious");
      expect(saved.bytes).toBe(generateTaskVideo(task.id).length);
      expect((await readFile(dest)).equals(generateTaskVideo(task.id))).toBe(true);
    },
  );
});

describe("adopting a finished file", () => {
  it("a process killed after the rename but before its record: the next download adopts the file", async () => {
    const task = await finishedTask();
    const dest = join(dir, "v.mp4");
    const killed = new Error("killed before the journal record");
    await expect(
      downloadVideo(
        gateway(),
        task,
        dest,
        { force: false, onSaved: () => Promise.reject(killed) },
        deps.http,
      ),
    ).rejects.toBe(killed);
    const gets = videoGets().length;
    const video = generateTaskVideo(task.id);
    const saved = await downloadVideo(gateway(), task, dest, { force: false }, deps.http);
    expect(saved).toMatchObject({ path: dest, bytes: video.length, sha256: sha256(video), adopted: true });
    expect(videoGets()).toHaveLength(gets);
    expect(await readdir(dir)).toEqual(["v.mp4"]);
  });

  it("a file changed since is not adopted", async () => {
    const task = await finishedTask();
    const dest = join(dir, "v.mp4");
    await downloadVideo(
      gateway(),
      task,
      dest,
      { force: false, onSaved: () => Promise.reject(new Error("x")) },
      deps.http,
    ).catch(() => undefined);
    await writeFile(dest, "edited by the user");
    await expect(downloadVideo(gateway(), task, dest, { force: false }, deps.http)).rejects.toThrow(
      /already exists/,
    );
    expect(await readFile(dest, "utf8")).toBe("edited by the user");
  });

  it("expected {bytes, sha256} from the caller's record adopts a matching file, never a different one", async () => {
    const task = await finishedTask();
    const dest = join(dir, "v.mp4");
    const video = generateTaskVideo(task.id);
    await downloadVideo(gateway(), task, dest, { force: false }, deps.http);
    const gets = videoGets().length;
    const expected = { bytes: video.length, sha256: sha256(video) };
    await expect(
      downloadVideo(gateway(), task, dest, { force: false, expected }, deps.http),
    ).resolves.toMatchObject({
      path: dest,
      adopted: true,
    });
    expect(videoGets()).toHaveLength(gets);
    const wrong = { bytes: video.length, sha256: sha256(Buffer.from("other")) };
    await expect(
      downloadVideo(gateway(), task, dest, { force: false, expected: wrong }, deps.http),
    ).rejects.toThrow(/already exists/);
  });
});

describe("long non-ASCII names", () => {
  it("a long non-ASCII id gives a name that fits 255 bytes with every suffix, and the download completes", async () => {
    const task = await finishedTask();
    const dest = defaultOutputPath(dir, "{provider}-{id}.mp4", {
      provider: "apimart",
      id: `${"動画の記録".repeat(60)}-${task.id}`,
      date: new Date(0),
    });
    expect(Buffer.byteLength(`${basename(dest)}.part.json`)).toBeLessThanOrEqual(255);
    expect(dest.endsWith(".mp4")).toBe(true);
    const saved = await downloadVideo(gateway(), task, dest, { force: false }, deps.http);
    expect((await readFile(saved.path)).equals(generateTaskVideo(task.id))).toBe(true);
  });
});

describe("headers are untrusted too", () => {
  it("a content type carrying C1 control bytes reaches no error message raw", async () => {
    const { createServer } = await import("node:http");
    // Node lets bytes 0x80-0xff through in a header; 0x9b is an 8-bit CSI to a terminal.
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html\u009b2J\u009d0;evil\u009c" });
      res.end("<html>login</html>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      const task: NormalizedTask = { ...(await finishedTask()), videoUrl: `http://127.0.0.1:${port}/v.mp4` };
      const err = await downloadVideo(gateway(), task, join(dir, "v.mp4"), { force: false }, deps.http).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DownloadError);
      expect((err as Error).message).toContain("text/html");
      expect((err as Error).message).not.toMatch(/[\u0080-\u009f]/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
