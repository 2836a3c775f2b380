import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateMp4 } from "../../src/sandbox/mp4.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { parseSize } from "../../src/util/size.js";

const SIZE = 5 * 1024 * 1024 + 3;
let sandbox: Sandbox;
let id: string;

beforeAll(async () => {
  sandbox = await startSandbox({ timeline: { queuedMs: 0, runningMs: 0 }, videoBytes: SIZE });
  const res = await fetch(`${sandbox.baseUrl("apimart")}/v1/videos/generations`, {
    method: "POST",
    headers: { authorization: "Bearer k", "content-type": "application/json" },
    body: JSON.stringify({ model: "grok-imagine-1.5-video-apimart", prompt: "big" }),
  });
  id = ((await res.json()) as { data: [{ task_id: string }] }).data[0].task_id;
});
afterAll(() => sandbox.close());

const fileUrl = () => `${sandbox.url}/files/${id}.mp4`;

describe("a sandbox serving padded videos (--video-size)", () => {
  it("serves exactly the asked size: the real mp4, then one free box of zeros", async () => {
    const res = await fetch(fileUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(SIZE));
    const body = Buffer.from(await res.arrayBuffer());
    const video = generateMp4(id);
    expect(body.length).toBe(SIZE);
    expect(body.subarray(0, video.length).equals(video)).toBe(true);
    expect(body.readUInt32BE(video.length)).toBe(SIZE - video.length);
    expect(body.toString("latin1", video.length + 4, video.length + 8)).toBe("free");
    expect(body.subarray(video.length + 8).every((b) => b === 0)).toBe(true);
  });

  it("honours ranges across the join, and refuses one past the end", async () => {
    const whole = Buffer.from(await (await fetch(fileUrl())).arrayBuffer());
    const join = generateMp4(id).length;
    for (const [start, end] of [
      [join - 5, join + 20],
      [SIZE - 10, SIZE - 1],
      [0, 7],
    ] as const) {
      const res = await fetch(fileUrl(), { headers: { range: `bytes=${start}-${end}` } });
      expect(res.status).toBe(206);
      expect(res.headers.get("content-range")).toBe(`bytes ${start}-${end}/${SIZE}`);
      expect(Buffer.from(await res.arrayBuffer()).equals(whole.subarray(start, end + 1))).toBe(true);
    }
    expect((await fetch(fileUrl(), { headers: { range: `bytes=${SIZE}-` } })).status).toBe(416);
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
