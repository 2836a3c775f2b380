import { mkdir, mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import type { Movie } from "mp4box";
import { createFile, MP4BoxBuffer } from "mp4box";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  parseVideoHeader,
  readVideoHeader,
  type VideoHeader,
  type VideoHeaderResult,
} from "../../src/core/media/mp4-header.js";
import { readTopLevelPayload, runByteWalk } from "../../src/core/media/iso-boxes.js";
import { generateMp4 } from "../../src/sandbox/mp4.js";

// ---------------------------------------------------------------------------------------------------
// A tiny ISO BMFF box builder

function writeU16(...values: number[]): Buffer {
  const out = Buffer.alloc(2 * values.length);
  values.forEach((value, i) => out.writeUInt16BE(value, 2 * i));
  return out;
}

function writeU32(...values: number[]): Buffer {
  const out = Buffer.alloc(4 * values.length);
  values.forEach((value, i) => out.writeUInt32BE(value >>> 0, 4 * i));
  return out;
}

function writeU64(value: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(value);
  return out;
}

function buildBox(type: string, ...payload: Uint8Array[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([writeU32(8 + body.length), Buffer.from(type, "latin1"), body]);
}

function buildFullBox(type: string, version: number, ...payload: Uint8Array[]): Buffer {
  return buildBox(type, writeU32(version << 24), ...payload);
}

/** A box with size == 1 and the real size in the 64-bit largesize field. */
function buildLargeBox(type: string, payload: Uint8Array): Buffer {
  return Buffer.concat([
    writeU32(1),
    Buffer.from(type, "latin1"),
    writeU64(BigInt(16 + payload.length)),
    payload,
  ]);
}

/** The box cut to `length` bytes with its size saying so: sound to walk, too short to read. */
function shortenBox(box: Buffer, length: number): Buffer {
  const short = Buffer.from(box.subarray(0, length));
  short.writeUInt32BE(length, 0);
  return short;
}

const UNITY = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];
const QUARTER_TURN = [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000];
const THREE_QUARTER_TURN = [0, -0x10000, 0, 0x10000, 0, 0, 0, 0, 0x40000000];
/** A quarter turn and a mirror: displayed on its side all the same. */
const TRANSPOSE = [0, 0x10000, 0, 0x10000, 0, 0, 0, 0, 0x40000000];
/** A quarter turn that also doubles the picture: not the plain rotation a phone writes. */
const SCALED_TURN = [0, 0x20000, 0, -0x20000, 0, 0, 0, 0, 0x40000000];
/** Stretched along one axis: a = d = 0 but not a plain quarter turn. */
const STRETCHED_B = [0, 0x20000, 0, -0x10000, 0, 0, 0, 0, 0x40000000];
const STRETCHED_C = [0, 0x10000, 0, -0x20000, 0, 0, 0, 0, 0x40000000];
const HALF_TURN = [-0x10000, 0, 0, 0, -0x10000, 0, 0, 0, 0x40000000];

const ALL_ONES_32 = 0xffffffff;
const ALL_ONES_64 = 0xffffffffffffffffn;

interface Times {
  version?: 0 | 1;
  timescale?: number;
  duration?: bigint;
}

/** mvhd and mdhd start alike: times, timescale, duration (64-bit in version 1). */
function writeTimes({ version = 0, timescale = 1000, duration = 2000n }: Times): Buffer {
  return version === 1
    ? Buffer.concat([writeU64(0n), writeU64(0n), writeU32(timescale), writeU64(duration)])
    : writeU32(0, 0, timescale, Number(duration));
}

function buildMvhd(times: Times = {}): Buffer {
  return buildFullBox(
    "mvhd",
    times.version ?? 0,
    writeTimes(times),
    writeU32(0x10000),
    writeU16(0x100, 0),
    writeU32(0, 0, ...UNITY, 0, 0, 0, 0, 0, 0, 2),
  );
}

function buildMdhd(times: Times): Buffer {
  return buildFullBox("mdhd", times.version ?? 0, writeTimes(times), writeU16(0x55c4, 0));
}

function buildTkhd(width: number, height: number, { version = 0, matrix = UNITY } = {}): Buffer {
  const ids =
    version === 1
      ? Buffer.concat([writeU64(0n), writeU64(0n), writeU32(1, 0), writeU64(0n)])
      : writeU32(0, 0, 1, 0, 0);
  return buildFullBox(
    "tkhd",
    version,
    ids,
    writeU32(0, 0),
    writeU16(0, 0, 0, 0),
    writeU32(...matrix),
    writeU32(width * 0x10000, height * 0x10000),
  );
}

function buildHdlr(handler: string): Buffer {
  return buildFullBox(
    "hdlr",
    0,
    writeU32(0),
    Buffer.from(handler, "latin1"),
    writeU32(0, 0, 0),
    Buffer.from("x\0"),
  );
}

function buildStsd(width: number, height: number): Buffer {
  const entry = buildBox(
    "avc1",
    Buffer.alloc(6),
    writeU16(1),
    Buffer.alloc(16),
    writeU16(width, height),
    Buffer.alloc(50),
  );
  return buildFullBox("stsd", 0, writeU32(1), entry);
}

interface TrackSpec {
  handler?: string;
  tkhd?: Buffer;
  mdhd?: Buffer;
  stsd?: Buffer;
}

function buildTrak({ handler = "vide", tkhd = buildTkhd(320, 240), mdhd, stsd }: TrackSpec = {}): Buffer {
  const minf = stsd === undefined ? [] : [buildBox("minf", buildBox("stbl", stsd))];
  return buildBox(
    "trak",
    tkhd,
    buildBox("mdia", ...(mdhd === undefined ? [] : [mdhd]), buildHdlr(handler), ...minf),
  );
}

const FTYP = buildBox("ftyp", Buffer.from("isom"), writeU32(0x200), Buffer.from("isomavc1"));

function buildMoov(...children: Buffer[]): Buffer {
  return buildBox("moov", ...children);
}

/** The movie every hand-built case starts from: 320x240, 2 s. */
function buildPlainMoov(): Buffer {
  return buildMoov(buildMvhd(), buildTrak());
}

function buildMdat(bytes = 64): Buffer {
  return buildBox("mdat", Buffer.alloc(bytes, 0xab));
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function expectHeader(result: VideoHeaderResult): VideoHeader {
  if (!result.ok) throw new Error(`expected a header, got: ${result.reason}`);
  return result.header;
}

function expectReason(result: VideoHeaderResult): string {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.header)}`);
  return result.reason;
}

/** Parses the file with mp4box.js (an independent ISO BMFF reader) and returns its movie summary. */
function parseWithMp4box(file: Buffer): Movie {
  const parser = createFile();
  let movie: Movie | undefined;
  parser.onReady = (info) => {
    movie = info;
  };
  // A fresh, exactly-sized ArrayBuffer: Node may hand out Buffers that are views into a shared pool.
  parser.appendBuffer(MP4BoxBuffer.fromArrayBuffer(new Uint8Array(file).buffer, 0));
  parser.flush();
  if (movie === undefined) throw new Error("mp4box never reported the movie as ready");
  return movie;
}

let dir = "";
let fileCount = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "grokvid-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeTempFile(bytes: Uint8Array): Promise<string> {
  const path = join(dir, `video-${fileCount++}.mp4`);
  await writeFile(path, bytes);
  return path;
}

/** Both entry points must agree on every file; answers the in-memory one. */
async function readBothWays(bytes: Uint8Array): Promise<VideoHeaderResult> {
  const inMemory = parseVideoHeader(bytes);
  expect(await readVideoHeader(await writeTempFile(bytes))).toEqual(inMemory);
  return inMemory;
}

// ---------------------------------------------------------------------------------------------------

describe("generated sandbox videos", () => {
  it.each([
    { width: 64, height: 64, fps: 12, frames: 24, durationSec: 2 },
    { width: 112, height: 64, fps: 8, frames: 48, durationSec: 6 },
    { width: 64, height: 112, fps: 12, frames: 24, durationSec: 2 },
    { width: 160, height: 96, fps: 24, frames: 12, durationSec: 0.5 },
  ])("reads $width x $height, $frames frames at $fps fps", async ({ durationSec, ...options }) => {
    const file = generateMp4(`task_${options.width}x${options.height}`, options);
    const header = expectHeader(await readBothWays(file));
    expect(header).toEqual({ width: options.width, height: options.height, durationSec });
  });

  it("reports the display size the header declares, not the coded one", async () => {
    const file = generateMp4("task_display", { display: { width: 1280, height: 720 } });
    expect(expectHeader(await readBothWays(file))).toEqual({ width: 1280, height: 720, durationSec: 2 });
  });

  it.each([
    { width: 96, height: 48, fps: 25, frames: 10 },
    { width: 48, height: 128, fps: 30, frames: 45 },
  ])("agrees with mp4box on $width x $height", (options) => {
    const file = generateMp4("task_crosscheck", options);
    const movie = parseWithMp4box(file);
    const track = movie.videoTracks[0];
    expect(track).toBeDefined();
    expect(expectHeader(parseVideoHeader(file))).toEqual({
      width: track?.track_width,
      height: track?.track_height,
      durationSec: movie.duration / movie.timescale,
    });
    expect(track?.video).toEqual({ width: options.width, height: options.height });
  });

  it("accepts a Uint8Array that is a view into a larger buffer", () => {
    const file = generateMp4("task_view");
    const padded = new Uint8Array(file.length + 20);
    padded.set(file, 10);
    expect(expectHeader(parseVideoHeader(padded.subarray(10, 10 + file.length)))).toEqual({
      width: 64,
      height: 64,
      durationSec: 2,
    });
  });
});

describe("top-level boxes", () => {
  it("finds moov after mdat", async () => {
    const file = Buffer.concat([FTYP, buildMdat(4096), buildPlainMoov()]);
    expect(expectHeader(await readBothWays(file))).toEqual({ width: 320, height: 240, durationSec: 2 });
  });

  it("skips an mdat with a 64-bit largesize", async () => {
    const file = Buffer.concat([FTYP, buildLargeBox("mdat", Buffer.alloc(1000)), buildPlainMoov()]);
    expect(expectHeader(await readBothWays(file))).toEqual({ width: 320, height: 240, durationSec: 2 });
  });

  it("accepts a moov with a largesize", async () => {
    const moov = buildPlainMoov().subarray(8);
    const file = Buffer.concat([FTYP, buildLargeBox("moov", moov), buildMdat()]);
    expect(expectHeader(await readBothWays(file)).width).toBe(320);
  });

  it("accepts a last box whose size is 0 (it runs to the end of the file)", async () => {
    const openEndedMdat = Buffer.concat([writeU32(0), Buffer.from("mdat"), Buffer.alloc(500)]);
    const file = Buffer.concat([FTYP, buildPlainMoov(), openEndedMdat]);
    expect(expectHeader(await readBothWays(file)).durationSec).toBe(2);
    const openEndedMoov = Buffer.from(buildPlainMoov());
    openEndedMoov.writeUInt32BE(0, 0);
    expect(expectHeader(await readBothWays(Buffer.concat([FTYP, buildMdat(), openEndedMoov]))).height).toBe(
      240,
    );
  });

  it("skips a uuid box, whose header carries a 16-byte user type", async () => {
    const uuid = buildBox("uuid", Buffer.alloc(16, 7), Buffer.alloc(20));
    expect(expectHeader(await readBothWays(Buffer.concat([FTYP, uuid, buildPlainMoov()]))).width).toBe(320);
  });

  it("seeks past a huge mdat instead of reading it", async () => {
    // A sparse 5 GiB mdat (largesize, as it passes 4 GiB) with moov after it: reading it would time out.
    const path = join(dir, "huge.mp4");
    const mdatSize = 5n * 2n ** 30n;
    const handle = await open(path, "w");
    try {
      const mdatHeader = Buffer.concat([writeU32(1), Buffer.from("mdat"), writeU64(mdatSize)]);
      await handle.write(Buffer.concat([FTYP, mdatHeader]), 0, undefined, 0);
      await handle.write(buildPlainMoov(), 0, undefined, FTYP.length + Number(mdatSize));
    } finally {
      await handle.close();
    }
    expect(expectHeader(await readVideoHeader(path))).toEqual({ width: 320, height: 240, durationSec: 2 });
    await rm(path);
  });

  it("refuses a file without moov", async () => {
    expect(expectReason(await readBothWays(Buffer.concat([FTYP, buildMdat()])))).toBe(
      "no moov box: not an mp4 file, or an incomplete one",
    );
  });

  it("refuses an empty file", async () => {
    expect(expectReason(await readBothWays(new Uint8Array(0)))).toBe(
      "no moov box: not an mp4 file, or an incomplete one",
    );
  });

  it("refuses a moov larger than 64 MiB", async () => {
    const size = 64 * 2 ** 20 + 9;
    const file = Buffer.alloc(FTYP.length + size);
    FTYP.copy(file);
    buildBox("moov").copy(file, FTYP.length);
    file.writeUInt32BE(size, FTYP.length);
    expect(expectReason(await readBothWays(file))).toBe("moov box is larger than 64 MiB");
  });

  it("refuses a box that runs past the end of the file", async () => {
    const file = Buffer.concat([FTYP, buildMdat(100)]).subarray(0, FTYP.length + 50);
    expect(expectReason(await readBothWays(file))).toBe("mdat box runs past the end of the file");
    const large = Buffer.concat([FTYP, buildLargeBox("mdat", Buffer.alloc(100))]);
    large.writeBigUInt64BE(2n ** 63n, FTYP.length + 8);
    expect(expectReason(await readBothWays(large))).toBe("mdat box runs past the end of the file");
  });

  it("refuses a box smaller than its own header", async () => {
    const file = Buffer.concat([FTYP, writeU32(4), Buffer.from("free"), buildPlainMoov()]);
    expect(expectReason(await readBothWays(file))).toBe("free box size 4 is smaller than its header");
    const large = Buffer.concat([FTYP, writeU32(1), Buffer.from("free"), writeU64(12n), buildPlainMoov()]);
    expect(expectReason(await readBothWays(large))).toBe("free box size 12 is smaller than its header");
  });

  it("refuses a box header cut short by the end of the file", async () => {
    const file = Buffer.concat([FTYP, writeU32(1), Buffer.from("mdat"), Buffer.alloc(3)]);
    expect(expectReason(await readBothWays(file))).toBe("mdat box header is truncated");
    expect(expectReason(await readBothWays(Buffer.concat([FTYP, Buffer.alloc(5)])))).toMatch(
      /^box header at offset \d+ is truncated$/,
    );
  });

  it("gives up after 10,000 top-level boxes", async () => {
    const free = buildBox("free");
    const file = Buffer.concat([...Array.from({ length: 10_001 }, () => free), buildPlainMoov()]);
    expect(expectReason(await readBothWays(file))).toBe("no moov box in the first 10000 boxes");
    const justEnough = Buffer.concat([...Array.from({ length: 9_999 }, () => free), buildPlainMoov()]);
    expect(expectHeader(parseVideoHeader(justEnough)).width).toBe(320);
  });

  it("refuses a uuid box too small for its 16-byte user type", async () => {
    const uuid = buildBox("uuid", Buffer.alloc(12));
    expect(expectReason(await readBothWays(Buffer.concat([FTYP, uuid, buildPlainMoov()])))).toBe(
      "uuid box size 20 is smaller than its header",
    );
  });

  it("prints an unprintable box type as hex", () => {
    const file = Buffer.concat([writeU32(100), Buffer.from([0, 0x1b, 0x5b, 0x41])]);
    expect(expectReason(parseVideoHeader(file))).toBe("0x001b5b41 box runs past the end of the file");
  });

  it("refuses a truncated generated file cut in the middle of moov", async () => {
    const file = generateMp4("task_cut");
    const moovStart = file.indexOf("moov") - 4;
    const cut = file.subarray(0, moovStart + Math.floor(file.readUInt32BE(moovStart) / 2));
    expect(expectReason(await readBothWays(cut))).toBe("moov box runs past the end of the file");
  });

  it.each([
    ["text", Buffer.from("hello, this is not a video at all\n")],
    ["an HTML error page", Buffer.from("<!DOCTYPE html><html><body>403 Forbidden</body></html>")],
    ["random bytes", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24))],
  ])("refuses %s", async (_name, bytes) => {
    expect(expectReason(await readBothWays(bytes))).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe("boxes inside moov", () => {
  it("reads a version 1 mvhd with a 64-bit duration", async () => {
    const duration = 90_000n * 100_000n; // past 2^32 ticks
    const file = Buffer.concat([
      FTYP,
      buildMoov(buildMvhd({ version: 1, timescale: 90_000, duration }), buildTrak()),
    ]);
    expect(expectHeader(await readBothWays(file)).durationSec).toBe(100_000);
  });

  it("reads a version 1 tkhd", async () => {
    const trak = buildTrak({ tkhd: buildTkhd(1920, 1080, { version: 1 }) });
    const file = Buffer.concat([FTYP, buildMoov(buildMvhd(), trak)]);
    expect(expectHeader(await readBothWays(file))).toEqual({ width: 1920, height: 1080, durationSec: 2 });
  });

  it.each([
    ["90", QUARTER_TURN, { width: 720, height: 1280 }],
    ["270", THREE_QUARTER_TURN, { width: 720, height: 1280 }],
    ["90 (mirrored)", TRANSPOSE, { width: 720, height: 1280 }],
    ["180", HALF_TURN, { width: 1280, height: 720 }],
    ["scaled 90", SCALED_TURN, { width: 1280, height: 720 }],
    ["stretched (b) 90", STRETCHED_B, { width: 1280, height: 720 }],
    ["stretched (c) 90", STRETCHED_C, { width: 1280, height: 720 }],
  ])("applies a %s degree matrix", (_degrees, matrix, size) => {
    const trak = buildTrak({ tkhd: buildTkhd(1280, 720, { matrix }) });
    expect(expectHeader(parseVideoHeader(buildMoov(buildMvhd(), trak)))).toEqual({ ...size, durationSec: 2 });
    const v1 = buildTrak({ tkhd: buildTkhd(1280, 720, { version: 1, matrix }) });
    expect(expectHeader(parseVideoHeader(buildMoov(buildMvhd(), v1)))).toEqual({ ...size, durationSec: 2 });
  });

  it("rounds a fractional 16.16 size", () => {
    const tkhd = buildTkhd(0, 0);
    tkhd.writeUInt32BE(Math.round(639.6 * 0x10000), tkhd.length - 8);
    tkhd.writeUInt32BE(Math.round(360.4 * 0x10000), tkhd.length - 4);
    expect(expectHeader(parseVideoHeader(buildMoov(buildMvhd(), buildTrak({ tkhd }))))).toMatchObject({
      width: 640,
      height: 360,
    });
  });

  it("falls back to the sample entry when tkhd's size is 0", async () => {
    const trak = buildTrak({ tkhd: buildTkhd(0, 0), stsd: buildStsd(640, 360) });
    expect(expectHeader(await readBothWays(buildMoov(buildMvhd(), trak)))).toEqual({
      width: 640,
      height: 360,
      durationSec: 2,
    });
    const rotated = buildTrak({
      tkhd: buildTkhd(640, 0, { matrix: QUARTER_TURN }),
      stsd: buildStsd(640, 360),
    });
    expect(expectHeader(parseVideoHeader(buildMoov(buildMvhd(), rotated)))).toMatchObject({
      width: 360,
      height: 640,
    });
  });

  it("refuses a video track with no size anywhere", () => {
    const bare = buildTrak({ tkhd: buildTkhd(0, 0) });
    expect(expectReason(parseVideoHeader(buildMoov(buildMvhd(), bare)))).toBe("no video size in the header");
    const zero = buildTrak({ tkhd: buildTkhd(0, 0), stsd: buildStsd(0, 0) });
    expect(expectReason(parseVideoHeader(buildMoov(buildMvhd(), zero)))).toBe("no video size in the header");
    const empty = buildTrak({ tkhd: buildTkhd(0, 0), stsd: buildFullBox("stsd", 0, writeU32(0)) });
    expect(expectReason(parseVideoHeader(buildMoov(buildMvhd(), empty)))).toBe(
      "stsd box has no sample entry",
    );
  });

  it("takes the duration of a fragmented mp4 from mvex/mehd", async () => {
    const mvhd = buildMvhd({ timescale: 1000, duration: 0n });
    const mehd0 = buildBox("mvex", buildFullBox("mehd", 0, writeU32(7500)));
    expect(expectHeader(await readBothWays(buildMoov(mvhd, buildTrak(), mehd0))).durationSec).toBe(7.5);
    const mehd1 = buildBox("mvex", buildFullBox("mehd", 1, writeU64(12_000n)));
    expect(expectHeader(parseVideoHeader(buildMoov(mvhd, buildTrak(), mehd1))).durationSec).toBe(12);
  });

  it("falls back to the video track's mdhd when mvhd and mehd do not know the duration", () => {
    const mdhd = buildMdhd({ timescale: 600, duration: 1800n });
    const unknown = buildMvhd({ duration: BigInt(ALL_ONES_32) });
    expect(expectHeader(parseVideoHeader(buildMoov(unknown, buildTrak({ mdhd })))).durationSec).toBe(3);
    const unknown64 = buildMvhd({ version: 1, duration: ALL_ONES_64 });
    const unknownMehd = buildBox("mvex", buildFullBox("mehd", 0, writeU32(ALL_ONES_32)));
    const moov = buildMoov(unknown64, buildTrak({ mdhd }), unknownMehd);
    expect(expectHeader(parseVideoHeader(moov)).durationSec).toBe(3);
    const zeroTimescale = buildMvhd({ timescale: 0, duration: 5000n });
    expect(expectHeader(parseVideoHeader(buildMoov(zeroTimescale, buildTrak({ mdhd })))).durationSec).toBe(3);
  });

  it("refuses a movie whose duration is known nowhere", () => {
    const mvhd = buildMvhd({ duration: 0n });
    const mdhd = buildMdhd({ version: 1, timescale: 600, duration: ALL_ONES_64 });
    expect(expectReason(parseVideoHeader(buildMoov(mvhd, buildTrak({ mdhd }))))).toBe(
      "no duration in the header",
    );
    expect(expectReason(parseVideoHeader(buildMoov(mvhd, buildTrak())))).toBe("no duration in the header");
  });

  it("refuses an audio-only file", async () => {
    const file = Buffer.concat([FTYP, buildMoov(buildMvhd(), buildTrak({ handler: "soun" })), buildMdat()]);
    expect(expectReason(await readBothWays(file))).toBe("no video track");
  });

  it("takes the first video track, after an audio one", () => {
    const audio = buildTrak({ handler: "soun", tkhd: buildTkhd(0, 0) });
    const subtitles = buildTrak({ handler: "text", tkhd: buildTkhd(999, 99) });
    const moov = buildMoov(
      buildMvhd(),
      audio,
      subtitles,
      buildTrak({ tkhd: buildTkhd(854, 480) }),
      buildTrak(),
    );
    expect(expectHeader(parseVideoHeader(moov))).toMatchObject({ width: 854, height: 480 });
  });

  it("ignores a 32-bit zero that ends a container, as QuickTime writes", () => {
    // No duration in mvhd: looking for mvex walks moov to its very end.
    const trak = buildTrak({ mdhd: buildMdhd({ timescale: 10, duration: 45n }) });
    const moov = buildMoov(buildMvhd({ duration: 0n }), trak, writeU32(0));
    expect(expectHeader(parseVideoHeader(moov))).toEqual({ width: 320, height: 240, durationSec: 4.5 });
  });

  it("refuses a moov without mvhd", () => {
    expect(expectReason(parseVideoHeader(buildMoov(buildTrak())))).toBe("moov box has no mvhd box");
  });

  it("refuses a box version it does not know", () => {
    const mvhd = buildMvhd();
    mvhd[8] = 2;
    expect(expectReason(parseVideoHeader(buildMoov(mvhd, buildTrak())))).toBe(
      "mvhd box has unknown version 2",
    );
  });

  it.each([
    ["mvhd", () => buildMoov(buildFullBox("mvhd", 0, writeU32(0, 0, 1000)), buildTrak())],
    ["mvhd", () => buildMoov(buildFullBox("mvhd", 1, Buffer.alloc(24)), buildTrak())],
    ["tkhd", () => buildMoov(buildMvhd(), buildTrak({ tkhd: shortenBox(buildTkhd(320, 240), 60) }))],
    ["tkhd", () => buildMoov(buildMvhd(), buildTrak({ tkhd: buildFullBox("tkhd", 1, Buffer.alloc(84)) }))],
    [
      "hdlr",
      () =>
        buildMoov(buildMvhd(), buildBox("trak", buildTkhd(1, 1), buildBox("mdia", buildFullBox("hdlr", 0)))),
    ],
    [
      "mehd",
      () =>
        buildMoov(
          buildMvhd({ duration: 0n }),
          buildTrak(),
          buildBox("mvex", buildFullBox("mehd", 1, writeU32(5))),
        ),
    ],
    [
      "mdhd",
      () => buildMoov(buildMvhd({ duration: 0n }), buildTrak({ mdhd: buildFullBox("mdhd", 0, writeU32(0)) })),
    ],
  ])("refuses a truncated %s box", (box, build) => {
    expect(expectReason(parseVideoHeader(build()))).toBe(`${box} box is truncated`);
  });

  it("refuses a truncated sample entry", () => {
    const stsd = buildFullBox("stsd", 0, writeU32(1), buildBox("avc1", Buffer.alloc(20)));
    const trak = buildTrak({ tkhd: buildTkhd(0, 0), stsd });
    expect(expectReason(parseVideoHeader(buildMoov(buildMvhd(), trak)))).toBe("avc1 box is truncated");
  });

  it("refuses a child box that runs past its parent", async () => {
    const tkhd = buildTkhd(320, 240);
    tkhd.writeUInt32BE(tkhd.length + 1000, 0);
    const file = Buffer.concat([FTYP, buildMoov(buildMvhd(), buildTrak({ tkhd })), buildMdat(2000)]);
    expect(expectReason(await readBothWays(file))).toBe("tkhd box runs past the end of its trak box");
    const mvhd = buildMvhd();
    mvhd.writeUInt32BE(mvhd.length + 4, 0);
    expect(expectReason(parseVideoHeader(buildMoov(mvhd)))).toBe(
      "mvhd box runs past the end of its moov box",
    );
  });

  it("refuses a child box smaller than its header", () => {
    const moov = buildMoov(buildMvhd(), writeU32(3), Buffer.from("trak"), writeU32(0));
    expect(expectReason(parseVideoHeader(moov))).toBe("trak box size 3 is smaller than its header");
  });
});

describe("the top-level walk", () => {
  it("refuses a moov cut short by a file that shrank after its size was taken", () => {
    const openEndedMoov = Buffer.from(buildPlainMoov());
    openEndedMoov.writeUInt32BE(0, 0);
    const file = Buffer.concat([FTYP, openEndedMoov]);
    const walk = readTopLevelPayload(file.length + 100, "moov", 2 ** 20);
    expect(() => runByteWalk(walk, file)).toThrow("moov box is truncated");
  });
});

describe("readVideoHeader on paths that are not files", () => {
  it("reports a missing file with its code", async () => {
    expect(expectReason(await readVideoHeader(join(dir, "missing.mp4")))).toContain("ENOENT");
  });

  it("reports a directory with its code", async () => {
    const sub = join(dir, "a-directory");
    await mkdir(sub);
    expect(expectReason(await readVideoHeader(sub))).toContain("EISDIR");
  });
});

describe("never throws", () => {
  it("on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        expect(typeof parseVideoHeader(bytes).ok).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });

  it("on arbitrary bytes inside a moov box", () => {
    // Random moov payloads reach the inner walks that random files almost never get to.
    const children = fc.array(
      fc.record({
        type: fc.constantFrom(
          "mvhd",
          "trak",
          "tkhd",
          "mdia",
          "hdlr",
          "mvex",
          "mehd",
          "minf",
          "stbl",
          "stsd",
          "free",
        ),
        body: fc.uint8Array({ maxLength: 120 }),
        slack: fc.integer({ min: -8, max: 8 }),
      }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(children, (specs) => {
        const boxes = specs.map(({ type, body, slack }) => {
          const box = buildBox(type, body);
          box.writeUInt32BE(Math.max(0, box.length + slack), 0);
          return box;
        });
        expect(typeof parseVideoHeader(Buffer.concat([FTYP, buildMoov(...boxes)])).ok).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });

  it("on truncations of a real file: whole moov reads, cut moov is refused", () => {
    const file = generateMp4("task_truncate");
    const moovStart = file.indexOf("moov") - 4;
    const moovEnd = moovStart + file.readUInt32BE(moovStart);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: file.length }), (length) => {
        const result = parseVideoHeader(file.subarray(0, length));
        expect(result.ok).toBe(length >= moovEnd);
      }),
      { numRuns: 1000 },
    );
  });

  it("on bit flips of a real file", () => {
    const file = generateMp4("task_flip", { width: 96, height: 64 });
    const moovEnd = file.indexOf("mdat") + 4;
    const flip = fc.record({ at: fc.nat({ max: moovEnd - 1 }), bit: fc.integer({ min: 0, max: 7 }) });
    fc.assert(
      fc.property(fc.array(flip, { minLength: 1, maxLength: 6 }), (flips) => {
        const mutated = Buffer.from(file);
        for (const { at, bit } of flips) mutated[at] = (mutated[at] ?? 0) ^ (1 << bit);
        const result = parseVideoHeader(mutated);
        if (!result.ok) expect(result.reason).toMatch(/^[\x20-\x7e]+$/);
      }),
      { numRuns: 3000 },
    );
  });
});
