import {
  type AnySandboxDialect,
  type Fault,
  type FaultKind,
  type FaultTarget,
  faultKinds,
  faultTargets,
  SANDBOX_DIALECTS,
} from "./types.js";

/** What one request is; "any" only exists on the fault side. */
export type RequestTarget = Exclude<FaultTarget, "any">;

/**
 * Where each kind can happen. A fault aimed explicitly elsewhere is refused (it could never fire, which
 * would make a test pass for the wrong reason); with target "any" it simply only hits these.
 */
const APPLIES_TO: Record<FaultKind, readonly RequestTarget[]> = {
  "rate-limit": ["create", "query", "download"],
  "server-error": ["create", "query", "download"],
  reset: ["create", "query", "download"],
  stall: ["create", "query", "download"],
  // A video body is not JSON, so there is nothing to cut "in the middle of an object" on a download.
  "malformed-json": ["create", "query"],
  truncate: ["download"],
  "expired-url": ["download"],
  "wrong-type": ["download"],
  "never-finish": ["create"],
  "no-content-type": ["download"],
  "json-octet-stream": ["download"],
  "oversized-range": ["download"],
  trickle: ["download"],
  // A refused create, or a query answering a failed task, whose message quotes the caller's key.
  "echo-key": ["create", "query"],
  // The same, with terminal escape sequences, C1 controls and bidi overrides in the message.
  "escape-message": ["create", "query"],
  // A 200 answer nested 200,000 levels deep.
  "deep-json": ["create", "query"],
  // A task answer about another id than the one asked for.
  rekey: ["query"],
  // Decided when the task is created (its id records the size), so every later download agrees.
  downscaled: ["create"],
  // A CDN (or a hostile gateway) pointing the download at a local file.
  "redirect-file": ["download"],
  // A finished xai task billed an absurd amount (the other dialects report no cost).
  "hostile-cost": ["query"],
};

const SERVER_ERROR_STATUSES: readonly number[] = [500, 502, 503];

const SPEC_HELP =
  `expected kind[:target[:times]] with kind one of ${faultKinds.join(", ")}; ` +
  `target one of ${faultTargets.join(", ")} (default any); times a positive integer or inf (default 1)`;

/** Why a fault cannot be armed, or undefined when it is fine. Checks at runtime too: faults may come from JS or a CLI. */
export function describeFaultProblem(fault: Fault): string | undefined {
  if (!faultKinds.includes(fault.kind)) return `unknown kind "${String(fault.kind)}"`;
  if (!faultTargets.includes(fault.target)) return `unknown target "${String(fault.target)}"`;
  const places = APPLIES_TO[fault.kind];
  if (fault.target !== "any" && !places.includes(fault.target)) {
    return `${fault.kind} applies only to ${places.join(", ")}, not ${fault.target}`;
  }
  const { times, status, retryAfter, ms, dialect } = fault;
  if (times !== undefined && times !== Infinity && !(Number.isInteger(times) && times >= 1)) {
    return `times must be a positive integer or Infinity, got ${times}`;
  }
  if (status !== undefined && !SERVER_ERROR_STATUSES.includes(status)) {
    return `status must be one of ${SERVER_ERROR_STATUSES.join(", ")}, got ${status}`;
  }
  if (retryAfter !== undefined && !(Number.isInteger(retryAfter) && retryAfter >= 0)) {
    return `retryAfter must be a whole number of seconds, got ${retryAfter}`;
  }
  if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0))
    return `ms must be a finite number >= 0, got ${ms}`;
  if (dialect !== undefined && !SANDBOX_DIALECTS.includes(dialect)) {
    return `dialect must be one of ${SANDBOX_DIALECTS.join(", ")}, got ${String(dialect)}`;
  }
  return undefined;
}

function parseTimes(text: string): number | undefined {
  if (text === "inf" || text === "infinity") return Infinity;
  if (!/^\d+$/.test(text)) return undefined;
  const times = Number(text);
  return times >= 1 ? times : undefined;
}

/**
 * "kind[:target[:times]]", e.g. "rate-limit:query:2", "truncate:download", "server-error:any:inf",
 * "echo-key:query", "escape-message:create", "deep-json:query:inf", "rekey:query:inf". What each kind
 * does is in fault-help.ts (shown by `grokvid sandbox --help`).
 */
export function parseFaultSpec(spec: string): Fault {
  const fail = (reason: string): never => {
    throw new Error(`invalid fault spec "${spec}": ${reason}; ${SPEC_HELP}`);
  };
  const parts = spec.split(":").map((part) => part.trim().toLowerCase());
  if (parts.length > 3) fail("too many fields");
  const [kindText = "", targetText = "", timesText] = parts;
  const kind = faultKinds.find((candidate) => candidate === kindText);
  if (!kind) return fail(kindText === "" ? "missing kind" : `unknown kind "${kindText}"`);
  // An empty target ("rate-limit::2") means the default, so times can be given without a target.
  const target = targetText === "" ? "any" : faultTargets.find((candidate) => candidate === targetText);
  if (!target) return fail(`unknown target "${targetText}"`);
  const fault: Fault = { kind, target };
  if (timesText !== undefined) {
    const times = parseTimes(timesText);
    if (times === undefined) return fail(`bad times "${timesText}"`);
    fault.times = times;
  }
  const problem = describeFaultProblem(fault);
  if (problem !== undefined) fail(problem);
  return fault;
}

function matches(fault: Fault, target: RequestTarget, dialect: AnySandboxDialect | "files"): boolean {
  if (fault.target !== "any" && fault.target !== target) return false;
  if (!APPLIES_TO[fault.kind].includes(target)) return false;
  // The public file URLs belong to no dialect, so every dialect's clients download from them.
  return fault.dialect === undefined || dialect === "files" || fault.dialect === dialect;
}

interface ArmedFault {
  fault: Fault;
  left: number;
}

/** The active fault list with its counters; the only mutable state a sandbox has besides its log. */
export class FaultBook {
  #armed: ArmedFault[] = [];

  constructor(faults: readonly Fault[] = []) {
    this.replace(faults);
  }

  /** Validates everything before changing anything, so a bad list leaves the old one in force. */
  replace(faults: readonly Fault[]): void {
    for (const fault of faults) {
      const problem = describeFaultProblem(fault);
      if (problem !== undefined)
        throw new Error(`sandbox: invalid fault ${JSON.stringify(fault)}: ${problem}`);
    }
    // Copies, so a caller editing its array or objects later cannot change what is armed.
    this.#armed = faults.map((fault) => ({ fault: { ...fault }, left: fault.times ?? 1 }));
  }

  /** The first matching fault with hits left, which this call spends one of. */
  take(target: RequestTarget, dialect: AnySandboxDialect | "files"): Fault | undefined {
    const hit = this.#armed.find((armed) => armed.left > 0 && matches(armed.fault, target, dialect));
    if (!hit) return undefined;
    hit.left -= 1;
    return hit.fault;
  }
}
