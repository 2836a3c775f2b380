import { decodeTaskId } from "./ids.js";
import { generateMp4, type Mp4Options } from "./mp4.js";

/** The coded picture stays tiny (its short side is this) whatever size the header declares. */
const CODED_SHORT_SIDE = 64;
const CODED_LONG_SIDE_LIMIT = 256;
/** Used when an id records no length: the sandbox's original 2 s clip. */
const DEFAULT_SECONDS = 2;

function roundTo16(value: number): number {
  return Math.max(16, 16 * Math.round(value / 16));
}

/**
 * What a task's video is, from its id alone (so every sandbox process serves the same bytes): as long
 * as the task's seconds, declaring the display size the task was created with, with a coded picture of
 * about the same shape. Longer videos get fewer frames a second so they stay small and quick to make.
 */
export function describeTaskVideo(id: string): Mp4Options {
  const info = decodeTaskId(id);
  const seconds = info?.seconds ?? DEFAULT_SECONDS;
  const fps = seconds <= 6 ? 12 : 6;
  const options: Mp4Options = { fps, frames: seconds * fps };
  if (info?.width === undefined || info.height === undefined) return options;
  const display = { width: info.width, height: info.height };
  const ratio = display.width / display.height;
  const long = Math.min(CODED_LONG_SIDE_LIMIT, roundTo16(CODED_SHORT_SIDE * Math.max(ratio, 1 / ratio)));
  const [width, height] = ratio >= 1 ? [long, CODED_SHORT_SIDE] : [CODED_SHORT_SIDE, long];
  return { ...options, width, height, display };
}

/** Deterministic: the bytes the sandbox serves for this id, on every machine and in every process. */
export function generateTaskVideo(id: string): Buffer {
  return generateMp4(id, describeTaskVideo(id));
}
