export type SandboxDialect = "apimart" | "xcompute" | "jimmyai" | "duoyuanx";

export const SANDBOX_DIALECTS = [
  "apimart",
  "xcompute",
  "jimmyai",
  "duoyuanx",
] as const satisfies readonly SandboxDialect[];

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
}

export const DEFAULT_VARIANTS: SandboxVariants = {
  apimartUrl: "array",
  xcomputeQuery: "flat",
  jimmyaiQuery: "wrapped",
  duoyuanxRunning: "processing",
};

export interface SandboxOptions {
  /** Default 0 (ephemeral). */
  port?: number;
  /** Millisecond clock, injected so tests are deterministic. Default Date.now. */
  now?: () => number;
  /** Default { queuedMs: 1000, runningMs: 2000 }. */
  timeline?: SandboxTimeline;
  variants?: Partial<SandboxVariants>;
}

export interface SandboxRequest {
  method: string;
  path: string;
  status: number;
  /** Requests outside every dialect prefix are logged under "files", the public unauthenticated namespace. */
  dialect: SandboxDialect | "files";
  contentType?: string;
  /** Parsed JSON, or multipart fields with files summarised as {filename, size, type}. Never the key. */
  body?: unknown;
}

export interface Sandbox {
  /** http://127.0.0.1:PORT */
  url: string;
  /** `${url}/${dialect}` */
  baseUrl(dialect: SandboxDialect): string;
  requests: SandboxRequest[];
  close(): Promise<void>;
}
