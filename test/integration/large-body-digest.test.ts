import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { downloadVideo } from "../../src/core/download/download.js";
import { PartMetaFile, readPartMeta } from "../../src/core/download/part-file.js";
import type { NormalizedTask } from "../../src/providers/types.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { gatewayFor, makeDeps, type TestDeps } from "../helpers/http-deps.js";
import { makeTempDir } from "../helpers/run-cli.js";

// Above the size from which the digest is no longer computed on the main thread.
const SIZE = 64 * 1024 * 1024 + 7;
let sandbox: Sandbox;
let task: NormalizedTask;
let whole: Buffer;
let expected: string;
let dir: string;
let cleanup: () => Promise<void>;
let deps: TestDeps;

const gateway = () => gatewayFor("apimart", sandbox.baseUrl("apimart"));
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

beforeAll(async () => {
  sandbox = await startSandbox({ timeline: { queuedMs: 0, runningMs: 0 }, videoBytes: SIZE });
  const res = await fetch(`${sandbox.baseUrl("apimart")}/v1/videos/generations`, {
    method: "POST",
    headers: { authorization: "Bearer k", "content-type": "application/json" },
    body: JSON.stringify({ model: "grok-imagine-1.5-video-apimart", prompt: "big" }),
  });
  const id = ((await res.json()) as { data: [{ task_id: string }] }).data[0].task_id;
  const videoUrl = `${sandbox.url}/files/${id}.mp4`;
  whole = Buffer.from(await (await fetch(videoUrl)).arrayBuffer());
  expected = sha256(whole);
  task = {
    id,
    provider: "apimart",
    model: "grok-imagine-1.5-video-apimart",
    status: "succeeded",
    progress: 100,
    videoUrl,
    error: null,
    createdAt: new Date(0).toISOString(),
    updatedAt: new Date(0).toISOString(),
    raw: {},
  };
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  deps = await makeDeps();
});
afterEach(async () => {
  await deps.close();
  await cleanup();
});

describe("the recorded digest of a large video", () => {
  it("is the sha256 of the bytes served and of the file saved", async () => {
    const dest = join(dir, "v.mp4");
    let recorded: string | undefined;
    const onSaved = async () => {
      recorded = (await readPartMeta(`${dest}.part`))?.final?.sha256;
    };
    // The CLI's young-generation GC, here a counter: the download calls it every few MiB.
    let collections = 0;
    const http = { ...deps.http, collectGarbage: () => void collections++ };
    const saved = await downloadVideo(gateway(), task, dest, { force: false, onSaved }, http);
    expect(collections).toBeGreaterThan(1);
    expect(saved.bytes).toBe(SIZE);
    expect(saved.sha256).toBe(expected);
    expect(recorded).toBe(expected);
    expect(sha256(await readFile(dest))).toBe(expected);
  });

  it("continuing a partial file covers the bytes already on disk too", async () => {
    const dest = join(dir, "v.mp4");
    await writeFile(`${dest}.part`, whole.subarray(0, 3 * 1024 * 1024 + 11));
    (await PartMetaFile.create(`${dest}.part`, { taskId: task.id, etag: null })).close();
    const saved = await downloadVideo(gateway(), task, dest, { force: false }, deps.http);
    expect(saved.resumedFrom).toBe(3 * 1024 * 1024 + 11);
    expect(saved.sha256).toBe(expected);
    expect(sha256(await readFile(dest))).toBe(expected);
  });
});
