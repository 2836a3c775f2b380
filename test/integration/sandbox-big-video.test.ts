import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTaskVideo } from "../../src/sandbox/task-video.js";
import { type Fault, type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { parseSize } from "../../src/util/size.js";

const MiB = 1024 * 1024;
const SIZE = 5 * MiB + 3;
const PERIOD = 65_521;
const opened: Sandbox[] = [];
let sandbox: Sandbox;
let id: string;
let whole: Buffer;

async function open(videoBytes: number, faults: Fault[] = []): Promise<Sandbox> {
  const s = await startSandbox({ timeline: { queuedMs: 0, runningMs: 0 }, videoBytes, faults });
  opened.push(s);
  return s;
}

const fileUrl = (s: Sandbox = sandbox) => `${s.url}/files/${id}.mp4`;

async function fetchBytes(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

/** Every byte that arrives before the body breaks off (fetch's arrayBuffer would throw them away). */
async function readUntilCut(url: string): Promise<{ declared: number; body: Buffer }> {
  const res = await fetch(url);
  const chunks: Buffer[] = [];
  const reader = res.body?.getReader();
  try {
    for (;;) {
      const next = await reader?.read();
      if (!next || next.done) break;
      chunks.push(Buffer.from(next.value));
    }
  } catch {
    // The cut itself.
  }
  return { declared: Number(res.headers.get("content-length")), body: Buffer.concat(chunks) };
}

beforeAll(async () => {
  sandbox = await open(SIZE);
  const res = await fetch(`${sandbox.baseUrl("apimart")}/v1/videos/generations`, {
    method: "POST",
    headers: { authorization: "Bearer k", "content-type": "application/json" },
    body: JSON.stringify({ model: "grok-imagine-1.5-video-apimart", prompt: "big" }),
  });
  id = ((await res.json()) as { data: [{ task_id: string }] }).data[0].task_id;
  whole = (await fetchBytes(fileUrl())).body;
});
afterAll(() => Promise.all(opened.map((s) => s.close())));

describe("a sandbox serving padded videos (--video-size)", () => {
  it("serves exactly the asked size: the real mp4, then one free box to the end", async () => {
    const { res, body } = await fetchBytes(fileUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(SIZE));
    const video = generateTaskVideo(id);
    expect(body.length).toBe(SIZE);
    expect(body.subarray(0, video.length).equals(video)).toBe(true);
    expect(body.readUInt32BE(video.length)).toBe(SIZE - video.length);
    expect(body.toString("latin1", video.length + 4, video.length + 8)).toBe("free");
  });

  it("pads with bytes that are a function of the id and the position, the same in every sandbox", async () => {
    const start = generateTaskVideo(id).length + 8;
    const seed = createHash("sha256").update(`grokvid sandbox padding\u0000${id}`).digest();
    expect(whole.subarray(start, start + 32).equals(seed)).toBe(true);
    expect(whole.subarray(start + PERIOD, start + PERIOD + 32).equals(seed)).toBe(true);
    // A piece written at the wrong power-of-two offset must change the file.
    for (const shift of [64 * 1024, 256 * 1024, MiB]) {
      expect(
        whole.subarray(start, start + 4096).equals(whole.subarray(start + shift, start + shift + 4096)),
      ).toBe(false);
    }
    const again = (await fetchBytes(fileUrl(await open(SIZE)))).body;
    expect(again.equals(whole)).toBe(true);
  });

  it("honours ranges across the join and at the end, answers HEAD, and refuses one past the end", async () => {
    const join = generateTaskVideo(id).length;
    for (const [start, end] of [
      [join - 5, join + 20],
      [SIZE - 10, SIZE - 1],
      [0, 7],
      [MiB - 3, 3 * MiB + 5],
    ] as const) {
      const { res, body } = await fetchBytes(fileUrl(), { range: `bytes=${start}-${end}` });
      expect(res.status).toBe(206);
      expect(res.headers.get("content-range")).toBe(`bytes ${start}-${end}/${SIZE}`);
      expect(body.equals(whole.subarray(start, end + 1))).toBe(true);
    }
    const head = await fetch(fileUrl(), { method: "HEAD" });
    expect([head.status, head.headers.get("content-length")]).toEqual([200, String(SIZE)]);
    expect((await fetch(fileUrl(), { headers: { range: `bytes=${SIZE}-` } })).status).toBe(416);
  });

  it("beyond 4 GiB the free box takes a 64-bit size, and nothing is generated before the asked range", async () => {
    const huge = 5 * 1024 * MiB + 7;
    const s = await open(huge);
    const join = generateTaskVideo(id).length;
    const { res, body } = await fetchBytes(fileUrl(s), { range: `bytes=${join}-${join + 15}` });
    expect(res.headers.get("content-range")).toBe(`bytes ${join}-${join + 15}/${huge}`);
    expect(body.readUInt32BE(0)).toBe(1);
    expect(body.toString("latin1", 4, 8)).toBe("free");
    expect(body.readBigUInt64BE(8)).toBe(BigInt(huge - join));
    const tail = await fetchBytes(fileUrl(s), { range: "bytes=-100" });
    expect(tail.body.length).toBe(100);
  });

  it("applies download faults to the padded file, so a resumed download finds the same bytes", async () => {
    const cut = await open(SIZE, [{ kind: "truncate", target: "download" }]);
    const half = await readUntilCut(fileUrl(cut));
    expect(half.declared).toBe(SIZE);
    expect(half.body.length).toBe(Math.floor(SIZE / 2));
    expect(half.body.equals(whole.subarray(0, half.body.length))).toBe(true);
    const rest = await fetchBytes(fileUrl(cut), { range: `bytes=${half.body.length}-` });
    expect(Buffer.concat([half.body, rest.body]).equals(whole)).toBe(true);

    const slow = await open(SIZE, [{ kind: "trickle", target: "download", ms: 1 }]);
    const paced = await fetchBytes(fileUrl(slow), { range: "bytes=100-163" });
    expect(paced.body.equals(whole.subarray(100, 164))).toBe(true);

    const over = await open(SIZE, [{ kind: "oversized-range", target: "download" }]);
    const padded = await fetchBytes(fileUrl(over), { range: "bytes=10-19" });
    expect(padded.res.headers.get("content-range")).toBe(`bytes 10-19/${SIZE}`);
    expect(padded.body.equals(Buffer.concat([whole.subarray(10, 20), whole.subarray(0, 1024)]))).toBe(true);
  });

  it("refuses a size that cannot hold the video before taking a port", async () => {
    await expect(startSandbox({ videoBytes: 1000 })).rejects.toThrow(/videoBytes/);
    await expect(startSandbox({ videoBytes: 1.5 * MiB + 0.5 })).rejects.toThrow(/videoBytes/);
  });

  it("reads sizes as people write them", () => {
    expect(parseSize("1GiB")).toBe(1024 ** 3);
    expect(parseSize("64 MiB")).toBe(64 * 1024 ** 2);
    expect(parseSize("1.5GB")).toBe(1.5e9);
    expect(parseSize("1048576")).toBe(1048576);
    expect(parseSize("lots")).toBeUndefined();
    expect(parseSize("5 parsecs")).toBeUndefined();
  });
});
