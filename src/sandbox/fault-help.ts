import type { AnySandboxDialect, FaultKind } from "./types.js";

/**
 * One line per fault kind for `grokvid sandbox --help` (and parseFaultSpec's message). Kept apart
 * from the sandbox itself so printing help loads no server code.
 */
export const FAULT_HELP: Record<FaultKind, string> = {
  "rate-limit": "429 with Retry-After (create, query, download)",
  "server-error": "HTTP 500 (create, query, download)",
  reset: "connection reset; a download gets half its body first (create, query, download)",
  stall: "hold the request without answering (create, query, download)",
  "malformed-json": "200 with JSON cut off before the task id (create, query)",
  truncate: "half the video, then a clean close (download)",
  "expired-url": "403 with an S3-style expired-signature body (download)",
  "wrong-type": "200 with an HTML page instead of video (download)",
  "never-finish": "the created task stays running at 50% (create)",
  "echo-key":
    "a refused create, or a failed task, whose message quotes the key and its base64 (create, query)",
  "escape-message":
    "a refused create, or a failed task, whose message holds ESC/OSC sequences, C1 and bidi controls (create, query)",
  "deep-json": "the normal answer plus a field nested 200,000 levels deep (create, query)",
  rekey: "the task answer names another task id (query)",
  downscaled: "the created task delivers a 480p landscape video (854x480) whatever was asked (create)",
  "no-content-type": "200 with an HTML page and no Content-Type header (download)",
  "json-octet-stream": "200 with a JSON error body labelled application/octet-stream (download)",
  "oversized-range": "a 206 whose body runs past the end its Content-Range announces (download)",
  trickle: "the real video, 16 bytes every 25 ms (download)",
  "redirect-file": "302 to file:///etc/passwd instead of the video (download)",
  "hostile-cost": "a finished xai task reports a cost of 1.8e308 ticks, the largest finite number (query)",
};

export function describeFaultKinds(): string {
  const width = Math.max(...Object.keys(FAULT_HELP).map((k) => k.length));
  const lines = Object.entries(FAULT_HELP).map(([kind, text]) => `  ${kind.padEnd(width)}  ${text}`);
  return `\nFault kinds (--fault kind[:target[:times]]; target create, query, download or any):\n${lines.join("\n")}\n`;
}

/** One line per dialect for `grokvid sandbox --help`: where each lives under the sandbox's URL. */
export const DIALECT_HELP: Record<AnySandboxDialect, string> = {
  apimart: "POST /v1/videos/generations, GET /v1/tasks/{id} (what --provider sandbox speaks)",
  xcompute: "apimart's paths with xcompute's model and answers",
  jimmyai: "POST /api/open-api/v1/grok/videos, GET /api/open-api/v1/videos/{id}",
  duoyuanx: "new-api style POST /v1/videos, GET /v1/videos/{id}[/content]",
  xai: "xAI's /v1/videos/generations, /edits, /extensions, GET /v1/videos/{id}",
  fal: "fal queue: POST /xai/grok-imagine-video/<endpoint>, Authorization: Key; status, result, cancel on the app path",
  replicate: "POST /v1/models/xai/<name>/predictions, GET /v1/predictions/{id}, POST .../cancel",
  openrouter: "POST /api/v1/videos, GET /api/v1/videos/{id}[/content], GET /api/v1/credits",
  aimlapi: "POST /v2/video/generations, GET /v2/video/generations?generation_id={id}",
};

export function describeDialects(): string {
  const width = Math.max(...Object.keys(DIALECT_HELP).map((k) => k.length));
  const lines = Object.entries(DIALECT_HELP).map(([name, text]) => `  ${name.padEnd(width)}  ${text}`);
  return (
    "\nDialects (each under <sandbox URL>/<dialect>; fal, replicate, openrouter and aimlapi serve their videos " +
    `from a second port, the CDN origin):\n${lines.join("\n")}\n`
  );
}
