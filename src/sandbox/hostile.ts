import type { IncomingMessage } from "node:http";
import type { RequestContext } from "./context.js";
import { FAIL_REASON, type TaskState } from "./tasks.js";

/**
 * Answers a hostile or careless gateway gives, for the faults that shape a normal answer instead of
 * replacing it: the query handlers of every dialect ask these before they render a task.
 */

/** What a terminal must never receive from a gateway: screen clear, cursor moves, title change, bidi, C1. */
export const ESCAPE_PAYLOAD =
  "\u001b[2J\u001b[H\u001b]0;pwned title\u0007\u001b]8;;http://evil.invalid\u001b\\link\u001b]8;;\u001b\\" +
  "gen\u202efailed\u202c \u2066isolated\u2069 \u200fmark \u009b31mC1-CSI \u0085NEL\u009d0;osc\u009c" +
  "\r\nerror: spoofed second line\t\u001b[31mred\u001b[0m\u0007";

/** The Bearer key as sent ("" when none); callers must not store or log it. */
export function keyOf(req: IncomingMessage): string {
  const header = req.headers.authorization ?? "";
  return /^Bearer\s+(.*)$/i.exec(header.trim())?.[1]?.trim() ?? "";
}

/** The message of an echo-key or escape-message answer. */
export function hostileMessage(kind: "echo-key" | "escape-message", req: IncomingMessage): string {
  if (kind === "escape-message") return `sandbox fault: ${ESCAPE_PAYLOAD}`;
  const key = keyOf(req);
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  const b64url = (text: string) => Buffer.from(text).toString("base64url");
  // A debugging proxy echoing the request: the key as sent, and the encodings logs tend to show.
  return (
    `sandbox fault: rejected key ${key} (Authorization: Bearer ${key}; basic ${b64(`:${key}`)}; ` +
    `b64 ${b64(key)}; b64url ${b64url(key)}; header ${b64(`Bearer ${key}`)})`
  );
}

const SHAPING = new Set(["echo-key", "escape-message"]);

/** echo-key and escape-message turn the task answer into a failure, whatever the task's real state. */
export function queryState(ctx: RequestContext, state: TaskState): TaskState {
  if (ctx.fault === undefined || !SHAPING.has(ctx.fault)) return state;
  return { phase: "failed", progress: 100, finishedMs: ctx.nowMs };
}

export function failReason(ctx: RequestContext): string {
  if (ctx.fault === "echo-key" || ctx.fault === "escape-message") return hostileMessage(ctx.fault, ctx.req);
  return FAIL_REASON;
}

/** rekey: the answer names another task than the one asked about. */
export function answerId(ctx: RequestContext, id: string): string {
  return ctx.fault === "rekey" ? `rekeyed_${id}` : id;
}

/**
 * hostile-cost: the largest finite double. A check for "finite and not negative" lets it through,
 * and as dollars (1.8e298) it is what an unbounded total or price column would print.
 */
export const HOSTILE_COST_TICKS = Number.MAX_VALUE;

export function reportedCostTicks(ctx: RequestContext, honest: number): number {
  return ctx.fault === "hostile-cost" ? HOSTILE_COST_TICKS : honest;
}
