import type { RequestContext } from "./context.js";
import { capShortSide, chooseDisplaySize, computeDisplaySize, type DisplaySize } from "./display-size.js";
import { decodeTaskId, type Resolution, type TaskInfo, type XaiKind, type XaiModel } from "./ids.js";
import { computeTaskState, leavesVideo } from "./tasks.js";
import type { Validation } from "./validate.js";
import { xaiPrices } from "../providers/xai-spec.js";
import type { GenerationJob, VideoJobRequest } from "./xai-validate.js";

/** Everything an xai task id records about the video it will produce and what it costs. */
export interface XaiJob {
  kind: XaiKind;
  model: XaiModel;
  prompt: string;
  /** Of the finished video: an extension's includes the input it continues. */
  seconds: number;
  resolution: Resolution;
  billedSeconds: number;
  /** The display size the finished video will have. */
  size: DisplaySize;
}

interface InputVideo {
  seconds: number;
  resolution: Resolution;
  size: DisplaySize;
}

/** The sandbox cannot look inside a video on another host: it assumes an ordinary 8 s 720p landscape clip. */
const FOREIGN_INPUT: InputVideo = { seconds: 8, resolution: "720P", size: { width: 1280, height: 720 } };
/** xAI: an edit's input is at most 8.7 s; the sandbox's seconds are whole, so 8 is the longest that passes. */
const EDIT_MAX_INPUT_SECONDS = 8.7;
const EXTENSION_INPUT_SECONDS = { min: 2, max: 15 } as const;
const RESOLUTION_RANK: Record<Resolution, number> = { "480P": 480, "540P": 540, "720P": 720, "1080P": 1080 };

export function buildGenerationJob(ctx: RequestContext, job: GenerationJob): XaiJob {
  const { ratio, ...rest } = job;
  const size = chooseDisplaySize(ctx, ratio, job.resolution);
  return { kind: "generation", ...rest, billedSeconds: job.seconds, size };
}

/**
 * One of this sandbox's own video URLs (/files/<id>.mp4) says what it holds through its id; a URL of
 * ours that serves nothing is refused, as xAI would fail to fetch it.
 */
function readInputVideo(ctx: RequestContext, url: string): Validation<InputVideo> {
  const own = new URL(ctx.fileUrl("x"));
  const parsed = new URL(url);
  const match = /^\/files\/([^/]+)\.mp4$/.exec(parsed.pathname);
  if (parsed.origin !== own.origin) return { ok: true, data: FOREIGN_INPUT };
  const info = match ? decodeTaskId(decodeURIComponent(match[1] ?? "")) : undefined;
  if (!info || !isDownloadable(ctx, info)) {
    return {
      ok: false,
      issue: { param: "video", message: "video.url serves no video: nothing to edit or extend" },
    };
  }
  const resolution = info.resolution ?? FOREIGN_INPUT.resolution;
  const size =
    info.width !== undefined && info.height !== undefined
      ? { width: info.width, height: info.height }
      : computeDisplaySize(undefined, resolution);
  return { ok: true, data: { seconds: info.seconds ?? FOREIGN_INPUT.seconds, resolution, size } };
}

function isDownloadable(ctx: RequestContext, info: TaskInfo): boolean {
  return leavesVideo(info.outcome) && computeTaskState(info, ctx.nowMs, ctx.timeline).phase === "completed";
}

/** xAI caps an edit at 720p; the sandbox caps extensions too, so every price it needs is in its table [I]. */
function capAt720(resolution: Resolution): Resolution {
  return RESOLUTION_RANK[resolution] > RESOLUTION_RANK["720P"] ? "720P" : resolution;
}

export function buildEditJob(ctx: RequestContext, request: VideoJobRequest): Validation<XaiJob> {
  const input = readInputVideo(ctx, request.videoUrl);
  if (!input.ok) return input;
  const { seconds, resolution } = input.data;
  if (seconds > EDIT_MAX_INPUT_SECONDS) {
    const message = `video is ${seconds} s long: an edit takes at most ${EDIT_MAX_INPUT_SECONDS} s`;
    return { ok: false, issue: { param: "video", message } };
  }
  const { model, prompt } = request;
  const job: XaiJob = {
    kind: "edit",
    model,
    prompt,
    seconds,
    resolution: capAt720(resolution),
    billedSeconds: seconds,
    size: capShortSide(input.data.size, RESOLUTION_RANK["720P"]),
  };
  return { ok: true, data: job };
}

export function buildExtensionJob(ctx: RequestContext, request: VideoJobRequest): Validation<XaiJob> {
  const input = readInputVideo(ctx, request.videoUrl);
  if (!input.ok) return input;
  const { seconds, resolution } = input.data;
  const { min, max } = EXTENSION_INPUT_SECONDS;
  if (seconds < min || seconds > max) {
    const message = `video is ${seconds} s long: an extension takes ${min} to ${max} s`;
    return { ok: false, issue: { param: "video", message } };
  }
  const added = request.duration ?? 6;
  const { model, prompt } = request;
  // The result is the whole stitched video, never only the new part (docs.x.ai video/extension).
  const job: XaiJob = {
    kind: "extension",
    model,
    prompt,
    seconds: seconds + added,
    resolution: capAt720(resolution),
    billedSeconds: added,
    size: capShortSide(input.data.size, RESOLUTION_RANK["720P"]),
  };
  return { ok: true, data: job };
}

/** 1 USD = 10^10 ticks (docs.x.ai cost-tracking). */
const TICKS_PER_USD = 10_000_000_000;
/**
 * The sandbox's simplification of xAI's bill: price per second at the output's resolution (540P at
 * the 720p rate) times the billed seconds (a generation's length, an edit's input, an extension's
 * added part). Moderated jobs are billed too.
 */
export function computeCostTicks(info: TaskInfo): number {
  // xAI's list prices (the client's own table, so the two never drift apart); images are not billed here.
  const model: XaiModel =
    info.model === "grok-imagine-video-1.5" ? "grok-imagine-video-1.5" : "grok-imagine-video";
  const prices = xaiPrices[model]?.perSecond ?? {};
  const rank = RESOLUTION_RANK[info.resolution ?? "480P"];
  const tier = rank <= 480 ? 480 : rank <= 720 ? 720 : 1080;
  const perSecond = prices[tier] ?? prices[720] ?? 0;
  return Math.round(perSecond * (info.billedSeconds ?? info.seconds ?? 0) * TICKS_PER_USD);
}
