import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { codeOf } from "../../files/safe-file.js";
import {
  describeBoxType,
  findBoxPath,
  findChildBox,
  listChildBoxes,
  MalformedBoxError,
  PayloadReader,
  readTopLevelPayload,
  runByteWalk,
  type Box,
  type ByteRequest,
} from "./iso-boxes.js";

/** What an mp4 file's own header says it is: the video track's display size and the movie's length. */
export interface VideoHeader {
  width: number;
  height: number;
  durationSec: number;
}

export type VideoHeaderResult = { ok: true; header: VideoHeader } | { ok: false; reason: string };

/** Far above any real movie header (an hour-long file's is a few MiB); refuses to buffer a hostile one. */
export const MAX_MOOV_BYTES = 64 * 1024 * 1024;
/** 1.0 in the 16.16 fixed point of tkhd's size and matrix. */
const FIXED_ONE = 0x10000;
/**
 * Read-only; non-blocking so that a FIFO given as the path is refused by the regular-file check
 * instead of hanging the open until a writer appears. Windows has no O_NONBLOCK (and no such hang).
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads only the boxes it needs (seeks; never loads mdat). Never throws: an unreadable file or
 * header gives {ok:false, reason}. The reads are synchronous, like grokvid's other small file
 * steps (see safe-file.ts): a few box headers and the movie header, each a single read(2) on the
 * main thread, where a trip through the thread pool costs several thread wake-ups per read (a
 * 1000-job batch reads 1000 headers). The result is still a promise, for callers and the API.
 */
export async function readVideoHeader(path: string): Promise<VideoHeaderResult> {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    return describeIoFailure(error);
  }
  try {
    const stats = fstatSync(fd);
    // Linux opens a directory read-only without complaint; only reading it fails.
    if (stats.isDirectory()) return { ok: false, reason: "cannot read the file (EISDIR)" };
    if (!stats.isFile()) return { ok: false, reason: "not a regular file" };
    const walk = readTopLevelPayload(stats.size, "moov", MAX_MOOV_BYTES);
    let step = walk.next();
    while (step.done !== true) step = walk.next(readFileRange(fd, step.value));
    return { ok: true, header: interpretMoov(step.value) };
  } catch (error) {
    if (error instanceof MalformedBoxError) return { ok: false, reason: error.message };
    return describeIoFailure(error);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // A failed close of a read-only descriptor loses nothing.
    }
  }
}

/** The same over an in-memory file, for tests and for callers that already hold the bytes. */
export function parseVideoHeader(bytes: Uint8Array): VideoHeaderResult {
  try {
    const moov = runByteWalk(readTopLevelPayload(bytes.length, "moov", MAX_MOOV_BYTES), bytes);
    return { ok: true, header: interpretMoov(moov) };
  } catch (error) {
    if (error instanceof MalformedBoxError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** What a moov payload (or its absence) says, for readers that found it their own way (a stream). */
export function headerFromMoov(moov: Uint8Array | undefined): VideoHeaderResult {
  try {
    return { ok: true, header: interpretMoov(moov) };
  } catch (error) {
    if (error instanceof MalformedBoxError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** File-system errors carry a code; anything else is a bug and should be seen as one. */
function describeIoFailure(error: unknown): VideoHeaderResult {
  const code = codeOf(error);
  if (code === undefined) throw error;
  return { ok: false, reason: `cannot read the file (${code})` };
}

function readFileRange(fd: number, { offset, length }: ByteRequest): Uint8Array {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const bytesRead = readSync(fd, buffer, filled, length - filled, offset + filled);
    if (bytesRead === 0) break; // the file ended early; the walker reports it as a truncated box
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** A movie's or a track's clock: ticks per second and a length in ticks, undefined when unknown. */
interface MediaTimes {
  timescale: number;
  duration: number | undefined;
}

function interpretMoov(moov: Uint8Array | undefined): VideoHeader {
  if (moov === undefined) {
    throw new MalformedBoxError("no moov box: not an mp4 file, or an incomplete one");
  }
  const root: Box = { type: "moov", start: 0, payloadStart: 0, end: moov.length };
  const mvhd = findChildBox(moov, root, "mvhd");
  if (mvhd === undefined) throw new MalformedBoxError("moov box has no mvhd box");
  const movie = readMediaTimes(moov, mvhd);
  const track = findVideoTrack(moov, root);
  if (track === undefined) throw new MalformedBoxError("no video track");
  const { width, height } = readDisplaySize(moov, track);
  const durationSec = findDurationSec(moov, root, movie, track);
  if (durationSec === undefined) throw new MalformedBoxError("no duration in the header");
  return { width, height, durationSec };
}

function readVersion(fields: PayloadReader, box: Box): 0 | 1 {
  const version = fields.u8(0);
  if (version === 0 || version === 1) return version;
  throw new MalformedBoxError(`${describeBoxType(box.type)} box has unknown version ${version}`);
}

/** mvhd and mdhd share this layout: version 1 widens the times and the duration to 64 bits. */
function readMediaTimes(bytes: Uint8Array, box: Box): MediaTimes {
  const fields = new PayloadReader(bytes, box);
  if (readVersion(fields, box) === 1) {
    return { timescale: fields.u32(20), duration: readKnownDuration64(fields.u64(24)) };
  }
  return { timescale: fields.u32(12), duration: readKnownDuration32(fields.u32(16)) };
}

/** All ones is the format's "unknown". */
function readKnownDuration32(ticks: number): number | undefined {
  return ticks === 0xffffffff ? undefined : ticks;
}

function readKnownDuration64(ticks: bigint): number | undefined {
  return ticks === 0xffffffffffffffffn ? undefined : Number(ticks);
}

function convertToSeconds(duration: number | undefined, timescale: number): number | undefined {
  if (duration === undefined || duration === 0 || timescale === 0) return undefined;
  return duration / timescale;
}

function findVideoTrack(moov: Uint8Array, root: Box): Box | undefined {
  for (const trak of listChildBoxes(moov, root)) {
    if (trak.type !== "trak") continue;
    const hdlr = findBoxPath(moov, trak, ["mdia", "hdlr"]);
    if (hdlr !== undefined && new PayloadReader(moov, hdlr).fourcc(8) === "vide") return trak;
  }
  return undefined;
}

/** tkhd's size as displayed: phone videos store a landscape picture and a quarter-turn matrix. */
function readDisplaySize(moov: Uint8Array, trak: Box): { width: number; height: number } {
  const tkhd = findChildBox(moov, trak, "tkhd");
  if (tkhd === undefined) throw new MalformedBoxError("video track has no tkhd box");
  const fields = new PayloadReader(moov, tkhd);
  const matrixAt = readVersion(fields, tkhd) === 1 ? 52 : 40;
  let width = Math.round(fields.u32(matrixAt + 36) / FIXED_ONE);
  let height = Math.round(fields.u32(matrixAt + 40) / FIXED_ONE);
  if (width === 0 || height === 0) ({ width, height } = readSampleEntrySize(moov, trak));
  // The matrix is {a, b, u, c, d, v, x, y, w}; a quarter turn has a = d = 0 and b = -c = ±1. A mirrored
  // one (b = c) swaps the axes just the same, so only the magnitudes are checked.
  const [a, b, c, d] = [
    fields.i32(matrixAt),
    fields.i32(matrixAt + 4),
    fields.i32(matrixAt + 12),
    fields.i32(matrixAt + 16),
  ];
  const swapsAxes = a === 0 && d === 0 && Math.abs(b) === FIXED_ONE && Math.abs(c) === FIXED_ONE;
  return swapsAxes ? { width: height, height: width } : { width, height };
}

/** Some writers leave tkhd's size at 0; the first visual sample entry holds the coded size. */
function readSampleEntrySize(moov: Uint8Array, trak: Box): { width: number; height: number } {
  const stsd = findBoxPath(moov, trak, ["mdia", "minf", "stbl", "stsd"]);
  if (stsd === undefined) throw new MalformedBoxError("no video size in the header");
  if (new PayloadReader(moov, stsd).u32(4) === 0) throw new MalformedBoxError("stsd box has no sample entry");
  const entries: Box = { ...stsd, payloadStart: stsd.payloadStart + 8 };
  const [entry] = listChildBoxes(moov, entries);
  if (entry === undefined) throw new MalformedBoxError("stsd box is truncated");
  // After the SampleEntry's 6 reserved bytes and data_reference_index, 16 bytes of pre_defined/reserved.
  const fields = new PayloadReader(moov, entry);
  const size = { width: fields.u16(24), height: fields.u16(26) };
  if (size.width === 0 || size.height === 0) throw new MalformedBoxError("no video size in the header");
  return size;
}

/** A fragmented mp4 leaves mvhd's duration at 0: mehd, then the video track's mdhd, may know it. */
function findDurationSec(moov: Uint8Array, root: Box, movie: MediaTimes, trak: Box): number | undefined {
  const fromMovie = convertToSeconds(movie.duration, movie.timescale);
  if (fromMovie !== undefined) return fromMovie;
  const mehd = findBoxPath(moov, root, ["mvex", "mehd"]);
  if (mehd !== undefined) {
    const fields = new PayloadReader(moov, mehd);
    const fragments =
      readVersion(fields, mehd) === 1
        ? readKnownDuration64(fields.u64(4))
        : readKnownDuration32(fields.u32(4));
    const fromFragments = convertToSeconds(fragments, movie.timescale);
    if (fromFragments !== undefined) return fromFragments;
  }
  const mdhd = findBoxPath(moov, trak, ["mdia", "mdhd"]);
  if (mdhd === undefined) return undefined;
  const media = readMediaTimes(moov, mdhd);
  return convertToSeconds(media.duration, media.timescale);
}
