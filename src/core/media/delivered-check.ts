import type { JobParams } from "../journal/events.js";
import type { VideoHeader } from "./mp4-header.js";

/** What a job asked for that its video's header can be checked against. */
export interface RequestedShape {
  durationSec?: number;
  ratio?: string;
  /** The short side in pixels (720 for 720p). */
  resolution?: number;
}

/** Gateways round lengths to frames and keyframes; half a second is a difference a viewer notices. */
const DURATION_TOLERANCE_SEC = 0.5;
/** 854x480 is "16:9" to 0.1 %; 3 % tells 16:9 from 16:10 and 3:2 from 4:3. */
const RATIO_TOLERANCE = 0.03;
/** 1280x718 (a crop to a multiple of the macroblock) is still 720p. */
const RESOLUTION_TOLERANCE = 0.98;

/**
 * An edit keeps its input's shape and cannot choose one, so only its length (where the journal knows
 * the input's) is checked; an extension's expected length is the input plus what it adds.
 */
export function requestedShapeOf(params: JobParams): RequestedShape {
  const shape: RequestedShape = {};
  const seconds = params.seconds ?? (params.source ? undefined : params.duration);
  if (seconds !== undefined) shape.durationSec = seconds;
  if (params.source) return shape;
  if (params.ratio !== undefined) shape.ratio = params.ratio;
  if (params.resolution !== undefined) shape.resolution = params.resolution;
  return shape;
}

function parseRatio(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(text.trim());
  const value = Number(match?.[1]) / Number(match?.[2]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function describeShape(header: VideoHeader): string {
  const orientation =
    header.width === header.height ? "square" : header.width > header.height ? "landscape" : "portrait";
  return `${header.width}x${header.height} ${orientation}`;
}

/** Each way the delivered video differs from the request ("480p where 720p was asked"); empty when it is what was asked. */
export function compareDelivered(requested: RequestedShape, delivered: VideoHeader): string[] {
  const differences: string[] = [];
  const { durationSec, ratio, resolution } = requested;
  if (durationSec !== undefined && Math.abs(delivered.durationSec - durationSec) > DURATION_TOLERANCE_SEC) {
    differences.push(`${delivered.durationSec.toFixed(1)} s where ${durationSec} s was asked`);
  }
  const asked = ratio === undefined ? undefined : parseRatio(ratio);
  const got = delivered.width / delivered.height;
  if (asked !== undefined && delivered.height > 0 && Math.abs(got - asked) / asked > RATIO_TOLERANCE) {
    differences.push(`${describeShape(delivered)} where ${ratio} was asked`);
  }
  const short = Math.min(delivered.width, delivered.height);
  if (resolution !== undefined && short < resolution * RESOLUTION_TOLERANCE) {
    differences.push(`${short}p where ${resolution}p was asked`);
  }
  return differences;
}

/**
 * The one-line warnings a saved video earns: how it differs from the request, or that its header is
 * unreadable (a file that may not be a video is reported, never silently accepted).
 */
export function describeDelivery(
  id: string,
  params: JobParams | undefined,
  saved: { path: string; delivered?: VideoHeader; headerProblem?: string },
): string[] {
  if (saved.headerProblem !== undefined) {
    return [
      `task ${id}: ${saved.path} has no readable video header (${saved.headerProblem}); it may not play`,
    ];
  }
  if (!saved.delivered || !params) return [];
  const differences = compareDelivered(requestedShapeOf(params), saved.delivered);
  if (differences.length === 0) return [];
  return [`task ${id}: the gateway delivered ${differences.join("; ")}`];
}

/**
 * What `--strict` makes of a video's warnings: the reason its job fails (exit 7), or undefined
 * when the job stands. One wording for create's siblings that report per job (batch, resume).
 */
export function strictRefusal(warnings: readonly string[], strict: boolean): string | undefined {
  return strict && warnings.length > 0 ? `${warnings.join("; ")} (--strict)` : undefined;
}
