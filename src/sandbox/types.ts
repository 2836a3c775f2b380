/**
 * The four gateway dialects. Left without "xai" on purpose: code and tests outside the sandbox keep
 * exhaustive tables over it (Record<SandboxDialect, ...>), which a fifth member would break.
 */
export type SandboxDialect = "apimart" | "xcompute" | "jimmyai" | "duoyuanx";
/** The hosted platforms of providers.md section 10, each with its own protocol and a CDN origin for videos. */
export type PlatformDialect = "fal" | "replicate" | "openrouter" | "aimlapi";
export const PLATFORM_DIALECTS = [
  "fal",
  "replicate",
  "openrouter",
  "aimlapi",
] as const satisfies readonly PlatformDialect[];
/** Every dialect the sandbox speaks: the gateways, xAI's own API and the hosted platforms. */
export type AnySandboxDialect = SandboxDialect | "xai" | PlatformDialect;

export const SANDBOX_DIALECTS = [
  "apimart",
  "xcompute",
  "jimmyai",
  "duoyuanx",
  "xai",
  ...PLATFORM_DIALECTS,
] as const satisfies readonly AnySandboxDialect[];

export interface SandboxTimeline {
  queuedMs: number;
  runningMs: number;
}

export interface SandboxVariants {
  /** result.videos[0].url as string[] (default, new-api's fixture) or a plain string (apimart's cn page). */
  apimartUrl: "array" | "string";
  /** "flat" = the documented example; "wrapped" = apimart-style {code,data}. */
  xcomputeQuery: "flat" | "wrapped";
  /** "wrapped" = en page {code,msg,data}; "flat" = zh page. */
  jimmyaiQuery: "wrapped" | "flat";
  /** Status word while running: duoyuanx docs say "processing", stock new-api emits "in_progress". */
  duoyuanxRunning: "processing" | "in_progress";
  /**
   * xAI's HTTP 202 answers before a video is done, each seen in public code: "mixed" = an empty body
   * while queued, then {status:"pending", progress}; "empty" = an empty body throughout; "bare" =
   * {request_id} with no status throughout; "status" = {status:"pending", progress} throughout.
   */
  xaiWaiting: "mixed" | "empty" | "bare" | "status";
  /** "flat" = {code, error} as seen live; "nested" = {error:{message, type, param, code}} as Vercel's client expects. */
  xaiErrors: "flat" | "nested";
}

export const DEFAULT_VARIANTS: SandboxVariants = {
  apimartUrl: "array",
  xcomputeQuery: "flat",
  jimmyaiQuery: "wrapped",
  duoyuanxRunning: "processing",
  xaiWaiting: "mixed",
  xaiErrors: "flat",
};

export interface SandboxOptions {
  /** Default 0 (ephemeral). */
  port?: number;
  /** Millisecond clock, injected so tests are deterministic. Default Date.now. */
  now?: () => number;
  /** Default { queuedMs: 1000, runningMs: 2000 }. */
  timeline?: SandboxTimeline;
  variants?: Partial<SandboxVariants>;
  /** Scripted misbehaviour, checked in order; see Fault. */
  faults?: Fault[];
  /**
   * Serve every video padded to exactly this many bytes (at least 1 MiB), streamed: the real mp4,
   * then one `free` box of deterministic bytes (see big-video.ts). For large-download tests and the benchmark.
   */
  videoBytes?: number;
}

export const faultKinds = [
  "rate-limit",
  "server-error",
  "reset",
  "stall",
  "malformed-json",
  "truncate",
  "expired-url",
  "wrong-type",
  "never-finish",
  "no-content-type",
  "json-octet-stream",
  "oversized-range",
  "trickle",
  "echo-key",
  "escape-message",
  "deep-json",
  "rekey",
  "downscaled",
  "redirect-file",
  "hostile-cost",
] as const;
export type FaultKind = (typeof faultKinds)[number];

export const faultTargets = ["create", "query", "download", "any"] as const;
/** create = a create POST, query = a task status GET, download = GET of a video (HEAD is never a target). */
export type FaultTarget = (typeof faultTargets)[number];

export interface Fault {
  kind: FaultKind;
  target: FaultTarget;
  /** How many matching requests it hits before it is spent; default 1; Infinity = always. */
  times?: number;
  /** server-error: 500 (default), 502 or 503. */
  status?: number;
  /** rate-limit: seconds for Retry-After (default 1). */
  retryAfter?: number;
  /** stall: how long to hold the request before answering normally (default: until the client gives up or the server closes).
   * trickle: the pause between two 16-byte pieces (default 25). */
  ms?: number;
  /** Only requests of this dialect ("files" downloads count for every dialect); default all. */
  dialect?: AnySandboxDialect;
}

export interface SandboxRequest {
  method: string;
  path: string;
  status: number;
  /** Requests outside every dialect prefix are logged under "files", the public unauthenticated namespace. */
  dialect: AnySandboxDialect | "files";
  contentType?: string;
  /** Parsed JSON, or multipart fields with files summarised as {filename, size, type}. Never the key. */
  body?: unknown;
  /** The fault that hit this request. status stays 0 when the fault left nothing answered (reset, endless stall). */
  fault?: FaultKind;
  /**
   * When the request arrived, on the sandbox's clock (ms), so a test can measure how a client paced its
   * calls. Set on every entry but not enumerable (like sentKey): read it directly, a spread or JSON drops it.
   */
  readonly atMs?: number;
  /**
   * Whether the request carried an Authorization header or any api-key, token or secret header (never
   * which one or its value), so a test can prove a download went out without the key. Not enumerable.
   */
  readonly sentKey?: boolean;
  /**
   * The request's headers, lower-cased, with the value of every key-carrying header masked but its
   * scheme word kept ("Key [redacted]", "Bearer [redacted]"), so a test can check which auth scheme a
   * client used without the log ever holding a key. Not enumerable, like atMs.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** "cdn" for requests to the platforms' separate video origin (Sandbox.cdnUrl), else "api". Not enumerable. */
  readonly origin?: "api" | "cdn";
}

export interface Sandbox {
  /** http://127.0.0.1:PORT */
  url: string;
  /**
   * The base URL a client sets for the dialect: `${url}/${dialect}`, and for OpenRouter
   * `${url}/openrouter/api` (its real base URL ends in /api too).
   */
  baseUrl(dialect: AnySandboxDialect): string;
  /**
   * http://127.0.0.1:OTHERPORT: where the hosted platforms' (fal, replicate, openrouter, aimlapi) video
   * URLs point, another origin than the API as on the real platforms, so a client that sends its key
   * there shows up in the request log (origin "cdn").
   */
  cdnUrl: string;
  requests: SandboxRequest[];
  /** Replaces the active faults; every counter starts afresh. Throws on a fault that could never apply. */
  setFaults(faults: Fault[]): void;
  close(): Promise<void>;
}
