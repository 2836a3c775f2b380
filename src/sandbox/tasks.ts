import type { TaskInfo, TaskOutcome } from "./ids.js";
import type { SandboxTimeline } from "./types.js";

export type TaskPhase = "queued" | "running" | "completed" | "failed";

export interface TaskState {
  phase: TaskPhase;
  /** 0 while queued, 1..99 while running, 100 once terminal. */
  progress: number;
  /** Set once terminal. */
  finishedMs?: number;
}

export const FAIL_REASON = "sandbox: generation failed ([fail] in prompt)";
const NEVER_PROGRESS = 50;

/** Prompt markers that script the sandbox from the outside (tests, `--provider sandbox` demos). */
export type CreateMarker = "ratelimit" | "error500";

export function findCreateMarker(prompt: string): CreateMarker | undefined {
  if (prompt.includes("[ratelimit]")) return "ratelimit";
  if (prompt.includes("[error500]")) return "error500";
  return undefined;
}

export function readOutcome(prompt: string): TaskOutcome {
  if (prompt.includes("[fail]")) return "fail";
  if (prompt.includes("[never]")) return "never";
  return "normal";
}

/** A moderated video is withheld and an expired request is gone: neither leaves a file to download. */
export function leavesVideo(outcome: TaskOutcome): boolean {
  return outcome !== "moderated" && outcome !== "expired";
}

/** Pure function of the id and the clock, so every sandbox instance agrees about every task. */
export function computeTaskState(info: TaskInfo, nowMs: number, timeline: SandboxTimeline): TaskState {
  const elapsed = nowMs - info.createdMs;
  // A clock behind the creation time (another process, skew) reads as "not started yet".
  if (elapsed < timeline.queuedMs) return { phase: "queued", progress: 0 };
  const runningElapsed = elapsed - timeline.queuedMs;
  const linear =
    timeline.runningMs <= 0 ? 99 : Math.min(99, 1 + Math.floor((99 * runningElapsed) / timeline.runningMs));
  if (info.outcome === "never") return { phase: "running", progress: Math.min(linear, NEVER_PROGRESS) };
  if (runningElapsed < timeline.runningMs) return { phase: "running", progress: linear };
  const finishedMs = info.createdMs + timeline.queuedMs + timeline.runningMs;
  return { phase: info.outcome === "fail" ? "failed" : "completed", progress: 100, finishedMs };
}

export function toUnixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
