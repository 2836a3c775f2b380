import type { TaskInfo } from "./ids.js";
import { computeTaskState } from "./tasks.js";
import type { PlatformDialect, SandboxTimeline } from "./types.js";

/**
 * What the hosted platforms need remembered beyond their self-describing ids: what was asked (Replicate
 * echoes `input`, fal answers on the endpoint's app) and cancellations, which change a task after the
 * fact. Per sandbox, so a fresh sandbox knows none of them and answers 404, as a platform would for an
 * id it never issued.
 */
export interface PlatformJob {
  dialect: PlatformDialect;
  /** fal's endpoint id, Replicate's owner/name, OpenRouter's or AIML API's model. */
  model: string;
  /** The create body's model fields as sent. */
  input: unknown;
  info: TaskInfo;
  /** When a cancel was requested (fal, Replicate). */
  cancelledMs?: number;
  /** Replicate's Cancel-After deadline, on the sandbox clock. */
  deadlineMs?: number;
}

export type PlatformPhase = "queued" | "running" | "completed" | "failed" | "cancelled" | "aborted";

export interface PlatformState {
  phase: PlatformPhase;
  progress: number;
  /** Set once it left the queue. */
  startedMs?: number;
  /** Set once terminal. */
  finishedMs?: number;
}

export class PlatformJobs {
  readonly #jobs = new Map<string, PlatformJob>();

  add(id: string, job: PlatformJob): void {
    this.#jobs.set(id, job);
  }

  get(id: string, dialect: PlatformDialect): PlatformJob | undefined {
    const job = this.#jobs.get(id);
    return job?.dialect === dialect ? job : undefined;
  }

  /** Any dialect: the CDN serves them all. */
  find(id: string): PlatformJob | undefined {
    return this.#jobs.get(id);
  }

  /** fal's queue_position: how many of the same dialect's jobs still queued were submitted before it. */
  countQueuedAhead(id: string, nowMs: number, timeline: SandboxTimeline): number {
    let ahead = 0;
    for (const [otherId, other] of this.#jobs) {
      if (otherId === id) return ahead;
      const mine = this.#jobs.get(id);
      if (other.dialect === mine?.dialect && computePlatformState(other, nowMs, timeline).phase === "queued")
        ahead += 1;
    }
    return ahead;
  }
}

/**
 * The shared timeline (tasks.ts), cut short by a cancel or a Cancel-After deadline that arrived before
 * the task ended: while queued it never starts (aborted when the deadline did it, Replicate's word for
 * an unbilled expiry), while running it stops, cancelled. A stop after the end changes nothing.
 */
export function computePlatformState(
  job: PlatformJob,
  nowMs: number,
  timeline: SandboxTimeline,
): PlatformState {
  const startMs = job.info.createdMs + timeline.queuedMs;
  const stops = [job.cancelledMs, job.deadlineMs].filter((ms): ms is number => ms !== undefined);
  const stopMs = stops.length > 0 ? Math.min(...stops) : undefined;
  if (stopMs !== undefined && stopMs <= nowMs) {
    const atStop = computeTaskState(job.info, stopMs, timeline);
    if (atStop.phase === "queued") {
      const phase = stopMs === job.deadlineMs ? "aborted" : "cancelled";
      return { phase, progress: 0, finishedMs: stopMs };
    }
    if (atStop.phase === "running")
      return { phase: "cancelled", progress: atStop.progress, startedMs: startMs, finishedMs: stopMs };
  }
  const state = computeTaskState(job.info, nowMs, timeline);
  if (state.phase === "queued") return { phase: "queued", progress: 0 };
  return { ...state, startedMs: startMs };
}

export function isTerminal(phase: PlatformPhase): boolean {
  return phase !== "queued" && phase !== "running";
}
