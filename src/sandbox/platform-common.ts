import { type AuthFailure, type ErrorRenderer, judgeKey } from "./auth.js";
import type { RequestContext } from "./context.js";
import { chooseDisplaySize } from "./display-size.js";
import { encodeTaskId, type Resolution, type TaskOutcome } from "./ids.js";
import { computePlatformState, type PlatformJob, type PlatformState } from "./platform-jobs.js";
import { readTaskOutcome, sendFailure } from "./routing.js";
import type { PlatformDialect } from "./types.js";

/** What a validated create asks for, in the terms the sandbox's ids and videos need. */
export interface PlatformRequest {
  model: string;
  input: unknown;
  prompt: string;
  seconds: number;
  resolution: Resolution;
  ratio?: string | undefined;
  /** OpenRouter's `[expired]` marker; otherwise the prompt's markers decide (routing.ts readTaskOutcome). */
  outcome?: TaskOutcome;
}

/** Issues the id (which records the video's length and size) and remembers the job. */
export function createPlatformJob(
  ctx: RequestContext,
  dialect: PlatformDialect,
  request: PlatformRequest,
  extra: Pick<PlatformJob, "deadlineMs"> = {},
): { id: string; job: PlatformJob } {
  const info = {
    dialect,
    outcome: request.outcome ?? readTaskOutcome(ctx, request.prompt),
    createdMs: ctx.nowMs,
    seconds: request.seconds,
    resolution: request.resolution,
    ...chooseDisplaySize(ctx, request.ratio, request.resolution),
  };
  const id = encodeTaskId(info);
  const job: PlatformJob = { dialect, model: request.model, input: request.input, info, ...extra };
  ctx.jobs.add(id, job);
  return { id, job };
}

/** The job's state now; echo-key and escape-message turn any answer into a failure (hostile.ts). */
export function readPlatformState(ctx: RequestContext, job: PlatformJob): PlatformState {
  const state = computePlatformState(job, ctx.nowMs, ctx.timeline);
  if (ctx.fault !== "echo-key" && ctx.fault !== "escape-message") return state;
  return { phase: "failed", progress: 100, startedMs: job.info.createdMs, finishedMs: ctx.nowMs };
}

/**
 * The key after the given scheme word, and what it scripts (auth.ts judgeKey). A key sent with another
 * scheme is refused with a message naming the right one: fal's `Key` is the trap for Bearer habits.
 */
export function checkSchemeAuth(
  ctx: RequestContext,
  scheme: "Key" | "Bearer",
  operation: "create" | "query",
): AuthFailure | undefined {
  const header = (ctx.req.headers.authorization ?? "").trim();
  const match = /^(\S+)\s+(.+)$/.exec(header);
  const expected = `send Authorization: ${scheme} <key>`;
  if (!match) return { kind: "unauthorized", message: `missing API key: ${expected}` };
  if (match[1] !== scheme)
    return { kind: "unauthorized", message: `wrong authorization scheme "${match[1]}": ${expected}` };
  return judgeKey(match[2]?.trim() ?? "", operation);
}

/** A Bearer-key platform's refusal (Replicate, OpenRouter, AIML API), in its own error shape. */
export function refusedBearer(
  ctx: RequestContext,
  render: ErrorRenderer,
  operation: "create" | "query",
): boolean {
  return refusedAuth(ctx, "Bearer", operation, (kind, message) => sendFailure(ctx, render, kind, message));
}

/** checkSchemeAuth, answering a refusal in the dialect's own words; true when it refused. */
export function refusedAuth(
  ctx: RequestContext,
  scheme: "Key" | "Bearer",
  operation: "create" | "query",
  send: (kind: AuthFailure["kind"], message: string) => void,
): boolean {
  const failure = checkSchemeAuth(ctx, scheme, operation);
  if (failure) send(failure.kind, failure.message);
  return failure !== undefined;
}

export function toIso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

/** "480P" and friends from the platforms' lower-case "480p". */
export function toResolution(text: "480p" | "720p" | "1080p"): Resolution {
  return text === "480p" ? "480P" : text === "720p" ? "720P" : "1080P";
}

/** USD per second of video: xAI's list prices, which fal and Replicate resell as they are (providers.md 10a, 10b). */
export function priceUsd(version: "1.0" | "1.5", resolution: Resolution, seconds: number): number {
  const table =
    version === "1.5"
      ? { "480P": 0.08, "720P": 0.14, "1080P": 0.25 }
      : { "480P": 0.05, "720P": 0.07, "1080P": 0.07 };
  const perSecond = resolution === "540P" ? table["720P"] : table[resolution];
  // Cents-exact, so tests can compare with toBe.
  return Math.round(perSecond * seconds * 10_000) / 10_000;
}

export const ASPECT_RATIOS = ["auto", "16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3"] as const;
