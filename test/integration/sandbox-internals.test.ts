import { describe, expect, it } from "vitest";
import { parseRange } from "../../src/sandbox/files.js";
import { decodeTaskId, encodeTaskId, type TaskInfo } from "../../src/sandbox/ids.js";
import { parseMultipart, summarizeParts } from "../../src/sandbox/multipart.js";
import { computeTaskState } from "../../src/sandbox/tasks.js";

describe("task ids", () => {
  const samples: TaskInfo[] = [
    { dialect: "apimart", outcome: "normal", createdMs: 1_760_000_000_123, seconds: 30, resolution: "720P" },
    { dialect: "xcompute", outcome: "fail", createdMs: 0, seconds: 6, resolution: "480P" },
    { dialect: "jimmyai", outcome: "never", createdMs: 1_700_000_000_000, seconds: 15 },
    {
      dialect: "duoyuanx",
      outcome: "normal",
      createdMs: 1_760_000_000_999,
      model: "grok-video-1.5-max",
      seconds: 15,
      resolution: "1080P",
    },
  ];

  it("round-trips everything an answer depends on, with each dialect's look", () => {
    for (const info of samples) {
      const id = encodeTaskId(info);
      expect(id).toMatch(/^(task|jm|video)_[0-9a-z]{31}$/);
      expect(encodeURIComponent(id)).toBe(id);
      expect(decodeTaskId(id)).toEqual(info);
      expect(decodeTaskId(id, info.dialect)).toEqual(info);
    }
    const twin: TaskInfo = { dialect: "jimmyai", outcome: "normal", createdMs: 5 };
    // The random part keeps two tasks created in the same millisecond apart.
    expect(encodeTaskId(twin)).not.toBe(encodeTaskId(twin));
  });

  it("rejects malformed, tampered and foreign ids", () => {
    const id = encodeTaskId({ dialect: "apimart", outcome: "normal", createdMs: 1_760_000_000_000 });
    expect(decodeTaskId(id, "xcompute")).toBeUndefined();
    const flipped = `${id.slice(0, 6)}f${id.slice(7)}`;
    expect(decodeTaskId(flipped)).toBeUndefined();
    for (const bad of [
      "",
      "task_",
      "task_01JNXXXXXXXXXXXXXXXXXX",
      `${id}x`,
      id.toUpperCase(),
      `jm_${id.slice(5)}`,
    ]) {
      expect(decodeTaskId(bad), bad).toBeUndefined();
    }
  });
});

describe("lifecycle clock", () => {
  const timeline = { queuedMs: 1000, runningMs: 2000 };
  const info: TaskInfo = { dialect: "apimart", outcome: "normal", createdMs: 10_000 };

  it("is queued, then rises linearly from 1 to 99, then completes at 100", () => {
    expect(computeTaskState(info, 9_000, timeline)).toEqual({ phase: "queued", progress: 0 });
    expect(computeTaskState(info, 10_999, timeline)).toEqual({ phase: "queued", progress: 0 });
    expect(computeTaskState(info, 11_000, timeline)).toEqual({ phase: "running", progress: 1 });
    expect(computeTaskState(info, 12_000, timeline)).toEqual({ phase: "running", progress: 50 });
    expect(computeTaskState(info, 12_999, timeline)).toEqual({ phase: "running", progress: 99 });
    expect(computeTaskState(info, 13_000, timeline)).toEqual({
      phase: "completed",
      progress: 100,
      finishedMs: 13_000,
    });
    expect(computeTaskState({ ...info, outcome: "fail" }, 99_000, timeline)).toMatchObject({
      phase: "failed",
    });
    expect(computeTaskState({ ...info, outcome: "never" }, 9e12, timeline)).toEqual({
      phase: "running",
      progress: 50,
    });
  });
});

describe("byte ranges", () => {
  it("parses the single-range forms and ignores the rest", () => {
    expect(parseRange(undefined, 100)).toBeUndefined();
    expect(parseRange("bytes=0-9", 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=90-", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=90-500", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=-10", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=100-", 100)).toBe("unsatisfiable");
    expect(parseRange("bytes=-0", 100)).toBe("unsatisfiable");
    expect(parseRange("bytes=9-0", 100)).toBeUndefined();
    expect(parseRange("bytes=0-1,5-6", 100)).toBeUndefined();
    expect(parseRange("items=0-1", 100)).toBeUndefined();
  });
});

describe("multipart parser", () => {
  it("is binary-safe and reads quoted names, filenames and part content types", () => {
    const boundary = "----sandboxBoundary7MA4YWxk";
    const binary = Buffer.from([0x00, 0x0d, 0x0a, 0x2d, 0x2d, 0xff, 0x0d, 0x0a]);
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nline one\r\nline two\r\n`,
      ),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="input_reference"; filename="a; \\"b\\".png"\r\n` +
          "Content-Type: image/png\r\n\r\n",
      ),
      binary,
      Buffer.from(
        `\r\n--${boundary}\r\ncontent-disposition: form-data; name=seconds\r\n\r\n10\r\n--${boundary}--\r\n`,
      ),
    ]);
    const result = parseMultipart(body, `multipart/form-data; boundary="${boundary}"`);
    if (!result.ok) throw new Error(result.reason);
    const [prompt, file, seconds] = result.parts;
    expect(prompt?.data.toString()).toBe("line one\r\nline two");
    expect(file).toMatchObject({ name: "input_reference", filename: 'a; "b".png', contentType: "image/png" });
    expect(file?.data.equals(binary)).toBe(true);
    expect(seconds?.data.toString()).toBe("10");
    expect(summarizeParts(result.parts)).toEqual({
      prompt: "line one\r\nline two",
      input_reference: { filename: 'a; "b".png', size: binary.length, type: "image/png" },
      seconds: "10",
    });
  });

  it("reports missing boundaries and truncated bodies", () => {
    expect(parseMultipart(Buffer.from("x"), "multipart/form-data")).toEqual({
      ok: false,
      reason: "multipart body without a boundary parameter",
    });
    expect(
      parseMultipart(
        Buffer.from('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nv'),
        "multipart/form-data; boundary=b",
      ),
    ).toMatchObject({ ok: false });
    expect(parseMultipart(Buffer.from("--b--\r\n"), "multipart/form-data; boundary=b")).toEqual({
      ok: true,
      parts: [],
    });
  });
});
