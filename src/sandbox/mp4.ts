import { createHash } from "node:crypto";
import { encodeH264, type H264Stream, type YuvFrame } from "./mp4-h264.js";

/**
 * Builds small, real, playable MP4 files for the sandbox gateways: each task id seeds its own picture
 * (a diagonal colour gradient with a ball bouncing across it), encoded by the tiny H.264 encoder in
 * mp4-h264.ts and wrapped in an ISO BMFF ("faststart": moov before mdat) container.
 *
 * Everything is integer arithmetic on values derived from a SHA-256 of the seed, so the same seed and
 * options give the same bytes on every machine.
 */

export interface Mp4Options {
  width?: number;
  height?: number;
  fps?: number;
  frames?: number;
  /**
   * The size the header declares for display (tkhd), when it differs from the coded picture: a player
   * scales to it, and a client reading the header sees it. Lets a 1280x720 "delivery" stay a tiny file.
   */
  display?: { width: number; height: number };
}

/** An RGB or a Y, Cb, Cr colour. */
type Triple = readonly [number, number, number];
/** Full-resolution Y, Cb, Cr planes, before chroma subsampling. */
type Planes = readonly [Uint8Array, Uint8Array, Uint8Array];

/** Media ticks per frame; the timescale is fps * this so every duration is an exact integer. */
const TICKS_PER_FRAME = 1000;
const TRACK_ID = 1;
/** Identity transform of mvhd/tkhd: 16.16 fixed point, with 2.30 for the last column. */
const UNITY_MATRIX = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];

/** Deterministic: the same seed and options always give the same bytes; different seeds give different pictures. */
export function generateMp4(seed: string, options: Mp4Options = {}): Buffer {
  const { width = 64, height = 64, fps = 12, frames = 24, display = { width, height } } = options;
  for (const [name, value] of Object.entries({ width, height })) {
    if (!Number.isInteger(value) || value <= 0 || value % 16 !== 0) {
      throw new RangeError(`${name} must be a positive multiple of 16, got ${value}`);
    }
  }
  for (const [name, value] of Object.entries({
    fps,
    frames,
    displayWidth: display.width,
    displayHeight: display.height,
  })) {
    if (!Number.isInteger(value) || value <= 0)
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  const hash = createHash("sha256").update(seed).digest();
  const scene = planScene(hash, width, height);
  const pictures = Array.from({ length: frames }, (_, index) => drawFrame(scene, width, height, index));
  const stream = encodeH264(pictures, width, height, fps);
  return packMp4(stream, { width, height, display, fps });
}

// ---------------------------------------------------------------------------------------------------
// Picture

/** Everything about the picture that a seed decides, computed once per video. */
interface Scene {
  /** The gradient as full-resolution Y, Cb and Cr planes; frames paint the ball over a copy. */
  readonly background: Planes;
  /** Already converted to Y, Cb, Cr. */
  readonly ball: Triple;
  readonly radius: number;
  readonly centreY: number;
  readonly start: number;
  readonly speed: number;
}

/**
 * The ball only moves horizontally inside one band of rows, so from frame to frame just a few
 * macroblocks change and the encoder skips the rest (about 22 KB at the defaults instead of ~150 KB).
 */
function planScene(hash: Buffer, width: number, height: number): Scene {
  const byte = (i: number): number => hash[i] ?? 0;
  const from: Triple = [byte(0), byte(1), byte(2)];
  const to: Triple = [byte(3), byte(4), byte(5)];
  const background: Planes = [
    new Uint8Array(width * height),
    new Uint8Array(width * height),
    new Uint8Array(width * height),
  ];
  const diagonal = Math.max(1, width + height - 2);
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      const [luma, blue, red] = convertToYcbcr(mixRgb(from, to, px + py, diagonal));
      setSample(background, py * width + px, luma, blue, red);
    }
  }
  const radius = Math.max(6, Math.floor(Math.min(width, height) / 10));
  return {
    background,
    ball: convertToYcbcr([255 - byte(6), 255 - byte(7), 255 - byte(8)]), // contrasts with the gradient's start
    radius,
    centreY: clampInt((byte(9) % (height / 16)) * 16 + 8, radius, height - radius), // mid-row of a macroblock band
    start: (byte(10) << 8) + byte(11),
    speed: Math.max(2, Math.round(width / 16)),
  };
}

function drawFrame(scene: Scene, width: number, height: number, index: number): YuvFrame {
  const { radius, centreY } = scene;
  const centreX = radius + bounce(scene.start + scene.speed * index, width - 2 * radius);
  const [y, cb, cr] = scene.background;
  const planes: Planes = [y.slice(), cb.slice(), cr.slice()];
  for (let py = Math.max(0, centreY - radius); py < Math.min(height, centreY + radius); py++) {
    for (let px = Math.max(0, centreX - radius); px < Math.min(width, centreX + radius); px++) {
      // Doubled coordinates measure from pixel centres, so the disc is symmetric.
      const dx = 2 * px + 1 - 2 * centreX;
      const dy = 2 * py + 1 - 2 * centreY;
      if (dx * dx + dy * dy > 4 * radius * radius) continue;
      setSample(planes, py * width + px, ...scene.ball);
    }
  }
  // 4:2:0: chroma is averaged over 2x2 blocks.
  return {
    y: planes[0],
    cb: subsampleChroma(planes[1], width, height),
    cr: subsampleChroma(planes[2], width, height),
  };
}

function setSample(planes: Planes, at: number, luma: number, blue: number, red: number): void {
  planes[0][at] = luma;
  planes[1][at] = blue;
  planes[2][at] = red;
}

/** Triangle wave: position `step` along a path that bounces between 0 and `span`. */
function bounce(step: number, span: number): number {
  if (span <= 0) return 0;
  const phase = step % (2 * span);
  return phase <= span ? phase : 2 * span - phase;
}

function mixRgb(a: Triple, b: Triple, weight: number, total: number): Triple {
  const mix = (p: number, q: number): number => Math.round((p * (total - weight) + q * weight) / total);
  return [mix(a[0], b[0]), mix(a[1], b[1]), mix(a[2], b[2])];
}

/** BT.601 limited range. Clamped to 16..235 so samples are always legal and never zero. */
function convertToYcbcr([r, g, b]: Triple): Triple {
  return [
    clampInt(Math.round(16 + (65.738 * r + 129.057 * g + 25.064 * b) / 256), 16, 235),
    clampInt(Math.round(128 + (-37.945 * r - 74.494 * g + 112.439 * b) / 256), 16, 235),
    clampInt(Math.round(128 + (112.439 * r - 94.154 * g - 18.285 * b) / 256), 16, 235),
  ];
}

function subsampleChroma(full: Uint8Array, width: number, height: number): Uint8Array {
  const half = new Uint8Array((width / 2) * (height / 2));
  for (let cy = 0; cy < height / 2; cy++) {
    for (let cx = 0; cx < width / 2; cx++) {
      const at = 2 * cy * width + 2 * cx;
      const sum =
        (full[at] ?? 0) + (full[at + 1] ?? 0) + (full[at + width] ?? 0) + (full[at + width + 1] ?? 0);
      half[cy * (width / 2) + cx] = (sum + 2) >> 2;
    }
  }
  return half;
}

function clampInt(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

// ---------------------------------------------------------------------------------------------------
// Container (ISO/IEC 14496-12 boxes, avcC from 14496-15)

function writeU8(...values: number[]): Buffer {
  return Buffer.from(values);
}

function writeU16(...values: number[]): Buffer {
  const out = Buffer.alloc(2 * values.length);
  values.forEach((value, i) => {
    out.writeUInt16BE(value, 2 * i);
  });
  return out;
}

function writeU32(...values: number[]): Buffer {
  const out = Buffer.alloc(4 * values.length);
  values.forEach((value, i) => {
    out.writeUInt32BE(value >>> 0, 4 * i);
  });
  return out;
}

function buildBox(type: string, ...payload: Uint8Array[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([writeU32(8 + body.length), Buffer.from(type, "latin1"), body]);
}

/** A FullBox: the plain box header plus an 8-bit version and 24-bit flags. */
function buildFullBox(type: string, version: number, flags: number, ...payload: Uint8Array[]): Buffer {
  return buildBox(type, writeU32((version << 24) | flags), ...payload);
}

function buildSampleEntry(stream: H264Stream, width: number, height: number): Buffer {
  const avcC = buildBox(
    "avcC",
    // configurationVersion, profile, compatibility, level, 6 reserved bits + lengthSizeMinusOne = 3,
    // 3 reserved bits + one SPS
    writeU8(1, stream.profileIdc, stream.constraintFlags, stream.levelIdc, 0xff, 0xe1),
    writeU16(stream.sps.length),
    stream.sps,
    writeU8(1), // one PPS
    writeU16(stream.pps.length),
    stream.pps,
  );
  const compressorName = Buffer.alloc(32); // Pascal string: length byte, name, zero padding
  compressorName[0] = compressorName.write("grokvid sandbox", 1, "latin1");
  return buildBox(
    "avc1",
    Buffer.alloc(6), // SampleEntry reserved
    writeU16(1), // data_reference_index: the dref entry "in this file"
    writeU16(0, 0), // pre_defined, reserved
    writeU32(0, 0, 0), // pre_defined
    writeU16(width, height),
    writeU32(0x00480000, 0x00480000, 0), // 72 dpi horizontally and vertically, reserved
    writeU16(1), // frame_count: one frame per sample
    compressorName,
    writeU16(0x0018, 0xffff), // depth 24 (colour, no alpha), pre_defined -1
    avcC,
  );
}

/** The coded picture, what it is displayed as, and its rate. */
interface Layout {
  width: number;
  height: number;
  display: { width: number; height: number };
  fps: number;
}

function buildMoov(stream: H264Stream, layout: Layout, chunkOffset: number): Buffer {
  const { width, height, display, fps } = layout;
  const frames = stream.samples.length;
  const timescale = fps * TICKS_PER_FRAME;
  const duration = frames * TICKS_PER_FRAME;
  const stbl = buildBox(
    "stbl",
    buildFullBox("stsd", 0, 0, writeU32(1), buildSampleEntry(stream, width, height)),
    buildFullBox("stts", 0, 0, writeU32(1, frames, TICKS_PER_FRAME)), // every frame lasts 1/fps s
    buildFullBox("stss", 0, 0, writeU32(1, 1)), // only the first (IDR) frame is a sync sample
    buildFullBox("stsc", 0, 0, writeU32(1, 1, frames, 1)), // a single chunk holds all samples
    buildFullBox("stsz", 0, 0, writeU32(0, frames, ...stream.samples.map((sample) => sample.length))),
    buildFullBox("stco", 0, 0, writeU32(1, chunkOffset)),
  );
  const minf = buildBox(
    "minf",
    buildFullBox("vmhd", 0, 1, writeU16(0, 0, 0, 0)), // graphicsmode copy, opcolor; flags must be 1
    buildBox("dinf", buildFullBox("dref", 0, 0, writeU32(1), buildFullBox("url ", 0, 1))), // 1 = same file
    stbl,
  );
  const mdia = buildBox(
    "mdia",
    buildFullBox("mdhd", 0, 0, writeU32(0, 0, timescale, duration), writeU16(0x55c4, 0)), // language "und"
    buildFullBox(
      "hdlr",
      0,
      0,
      writeU32(0),
      Buffer.from("vide"),
      writeU32(0, 0, 0),
      Buffer.from("VideoHandler\0"),
    ),
    minf,
  );
  const tkhd = buildFullBox(
    "tkhd",
    0,
    3, // track_enabled | track_in_movie
    writeU32(0, 0, TRACK_ID, 0, duration, 0, 0), // times, track_ID, reserved, duration, reserved
    writeU16(0, 0, 0, 0), // layer, alternate_group, volume (0 for video), reserved
    writeU32(...UNITY_MATRIX),
    writeU32(display.width * 0x10000, display.height * 0x10000), // 16.16 fixed point
  );
  const mvhd = buildFullBox(
    "mvhd",
    0,
    0,
    writeU32(0, 0, timescale, duration, 0x00010000), // times, timescale, duration, rate 1.0
    writeU16(0x0100, 0), // volume 1.0, reserved
    writeU32(0, 0, ...UNITY_MATRIX, 0, 0, 0, 0, 0, 0), // reserved, matrix, pre_defined
    writeU32(TRACK_ID + 1), // next_track_ID
  );
  return buildBox("moov", mvhd, buildBox("trak", tkhd, mdia));
}

function packMp4(stream: H264Stream, layout: Layout): Buffer {
  const ftyp = buildBox("ftyp", Buffer.from("isom"), writeU32(0x200), Buffer.from("isomiso2avc1mp41"));
  // stco needs the absolute offset of the first sample, which sits after moov; moov's size does not
  // depend on that value, so a first pass with a placeholder measures it.
  const moovSize = buildMoov(stream, layout, 0).length;
  const chunkOffset = ftyp.length + moovSize + 8; // + the mdat box header
  const moov = buildMoov(stream, layout, chunkOffset);
  return Buffer.concat([ftyp, moov, buildBox("mdat", ...stream.samples)]);
}
