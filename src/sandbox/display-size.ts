import type { RequestContext } from "./context.js";
import type { Resolution } from "./ids.js";

/** The width and height a video's header declares (its tkhd), which is what a client measures. */
export interface DisplaySize {
  width: number;
  height: number;
}

const SHORT_SIDE: Record<Resolution, number> = { "480P": 480, "540P": 540, "720P": 720, "1080P": 1080 };
/** What every dialect falls back to when the request leaves the shape to the gateway. */
const DEFAULT_RATIO = "16:9";
/** What a gateway without a resolution field (jimmyai) delivers [I]. */
const DEFAULT_RESOLUTION: Resolution = "720P";
/** Users report asking for 720p 9:16 and receiving this; the `downscaled` fault reproduces it. */
const DOWNSCALED: DisplaySize = { width: 854, height: 480 };

function parseRatio(text: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec((text ?? "").trim());
  const across = Number(match?.[1]);
  const down = Number(match?.[2]);
  return across > 0 && down > 0 ? across / down : parseRatio(DEFAULT_RATIO);
}

/** The resolution names the short side, as "720p" does for both 1280x720 and 720x1280; sides are even. */
export function computeDisplaySize(
  ratio: string | undefined,
  resolution: Resolution | undefined,
): DisplaySize {
  const short = SHORT_SIDE[resolution ?? DEFAULT_RESOLUTION];
  const value = parseRatio(ratio);
  const long = 2 * Math.round((short * Math.max(value, 1 / value)) / 2);
  return value >= 1 ? { width: long, height: short } : { width: short, height: long };
}

/** What a task created by this request will deliver: what was asked, unless a `downscaled` fault hit it. */
export function chooseDisplaySize(
  ctx: RequestContext,
  ratio: string | undefined,
  resolution: Resolution | undefined,
): DisplaySize {
  return ctx.fault === "downscaled" ? { ...DOWNSCALED } : computeDisplaySize(ratio, resolution);
}

/** An edit or extension keeps its input's shape; xAI caps both at 720p, so the short side shrinks to fit. */
export function capShortSide(size: DisplaySize, limit: number): DisplaySize {
  const short = Math.min(size.width, size.height);
  if (short <= limit) return { ...size };
  const scale = limit / short;
  return {
    width: 2 * Math.round((size.width * scale) / 2),
    height: 2 * Math.round((size.height * scale) / 2),
  };
}
