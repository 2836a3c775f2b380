import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseVideoHeader, type VideoHeaderResult } from "../../src/core/media/mp4-header.js";
import { StreamHeaderReader } from "../../src/core/media/stream-header.js";
import { generateMp4 } from "../../src/sandbox/mp4.js";

/** The stream reader must answer exactly what the file reader answers for the same bytes. */
function readStreamed(bytes: Uint8Array, cuts: readonly number[], declareSize = true): VideoHeaderResult {
  const reader = new StreamHeaderReader(declareSize ? bytes.length : undefined);
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    reader.push(bytes.subarray(at, Math.max(at, cut)));
    at = Math.max(at, cut);
  }
  reader.push(bytes.subarray(at));
  return reader.finish();
}

function everyNBytes(length: number, n: number): number[] {
  return Array.from({ length: Math.ceil(length / n) }, (_, i) => i * n);
}

/** The same file with its top-level boxes in another order: moov after mdat, as a non-faststart encoder writes. */
function moovLast(file: Buffer): Buffer {
  const boxes: Buffer[] = [];
  for (let at = 0; at < file.length; at += file.readUInt32BE(at)) {
    boxes.push(file.subarray(at, at + file.readUInt32BE(at)));
  }
  const isMoov = (box: Buffer) => box.toString("latin1", 4, 8) === "moov";
  return Buffer.concat([...boxes.filter((b) => !isMoov(b)), ...boxes.filter(isMoov)]);
}

/** An mdat of `bytes` zeros, headed by a 64-bit size as large files have. */
function largeMdat(bytes: number): Buffer {
  const head = Buffer.alloc(16);
  head.writeUInt32BE(1, 0);
  head.write("mdat", 4, "latin1");
  head.writeBigUInt64BE(BigInt(16 + bytes), 8);
  return Buffer.concat([head, Buffer.alloc(bytes)]);
}

const sandboxFile = generateMp4("task_stream", {
  width: 96,
  height: 64,
  display: { width: 720, height: 1280 },
});

describe("StreamHeaderReader", () => {
  it("reads a sandbox video in any chunking, as the file reader does", () => {
    const expected = parseVideoHeader(sandboxFile);
    expect(expected).toEqual({ ok: true, header: { width: 720, height: 1280, durationSec: 2 } });
    for (const n of [1, 3, 7, 8, 32, 4096, sandboxFile.length]) {
      expect(readStreamed(sandboxFile, everyNBytes(sandboxFile.length, n))).toEqual(expected);
      expect(readStreamed(sandboxFile, everyNBytes(sandboxFile.length, n), false)).toEqual(expected);
    }
  });

  it("finds moov after a large mdat, without a declared size too", () => {
    const ftyp = sandboxFile.subarray(0, sandboxFile.readUInt32BE(0));
    const moov = moovLast(sandboxFile).subarray(-sandboxFile.readUInt32BE(ftyp.length));
    const file = Buffer.concat([ftyp, largeMdat(8 * 1024 * 1024), moov]);
    const expected = parseVideoHeader(file);
    expect(expected.ok).toBe(true);
    expect(readStreamed(file, everyNBytes(file.length, 65536))).toEqual(expected);
    expect(readStreamed(file, everyNBytes(file.length, 65536), false)).toEqual(expected);
    expect(readStreamed(moovLast(sandboxFile), [10, 500])).toEqual(parseVideoHeader(sandboxFile));
  });

  it("says what is wrong with a stream that holds no header", () => {
    const noMoov = Buffer.concat([sandboxFile.subarray(0, sandboxFile.readUInt32BE(0)), largeMdat(100)]);
    expect(readStreamed(noMoov, [5])).toEqual(parseVideoHeader(noMoov));
    expect(readStreamed(noMoov, [5], false)).toEqual({
      ok: false,
      reason: "no moov box: not an mp4 file, or an incomplete one",
    });
    expect(readStreamed(Buffer.alloc(0), [])).toEqual(parseVideoHeader(Buffer.alloc(0)));
    const cut = sandboxFile.subarray(0, 200);
    expect(readStreamed(cut, [], false).ok).toBe(false);
  });

  it("answers as the file reader for arbitrary bytes in arbitrary chunks", () => {
    const cuts = fc.array(fc.nat({ max: 2048 }), { maxLength: 12 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), cuts, (bytes, at) => {
        expect(readStreamed(bytes, at)).toEqual(parseVideoHeader(bytes));
        expect(readStreamed(bytes, at, false).ok).toBe(parseVideoHeader(bytes).ok);
      }),
      { numRuns: 1500 },
    );
  });

  it("answers as the file reader for damaged sandbox videos in arbitrary chunks", () => {
    const flip = fc.record({ at: fc.nat({ max: 600 }), bit: fc.integer({ min: 0, max: 7 }) });
    const cuts = fc.array(fc.nat({ max: sandboxFile.length }), { maxLength: 8 });
    fc.assert(
      fc.property(fc.array(flip, { maxLength: 4 }), cuts, (flips, at) => {
        const mutated = Buffer.from(sandboxFile);
        for (const f of flips) mutated[f.at] = (mutated[f.at] ?? 0) ^ (1 << f.bit);
        expect(readStreamed(mutated, at)).toEqual(parseVideoHeader(mutated));
      }),
      { numRuns: 800 },
    );
  });
});
