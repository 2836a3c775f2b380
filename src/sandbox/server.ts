import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeSegments, type RequestBody, type RequestContext, readBody, sendJson } from "./context.js";
import { checkPaddedSize } from "./big-video.js";
import { handleCdn } from "./cdn.js";
import { handleApimartFamily } from "./dialect-apimart.js";
import { handleDuoyuanx } from "./dialect-duoyuanx.js";
import { handleJimmyai } from "./dialect-jimmyai.js";
import { handleXai } from "./dialect-xai.js";
import { FaultBook } from "./faults.js";
import { handleFiles } from "./files.js";
import { CreatePacer } from "./pacing.js";
import { PlatformJobs } from "./platform-jobs.js";
import { routePlatform } from "./platforms.js";
import {
  DEFAULT_VARIANTS,
  SANDBOX_DIALECTS,
  type Sandbox,
  type AnySandboxDialect,
  type SandboxOptions,
  type SandboxRequest,
  type SandboxTimeline,
  type SandboxVariants,
} from "./types.js";

export { parseFaultSpec } from "./faults.js";
export { faultKinds } from "./types.js";
export type {
  AnySandboxDialect,
  PlatformDialect,
  Fault,
  FaultKind,
  FaultTarget,
  Sandbox,
  SandboxDialect,
  SandboxOptions,
  SandboxRequest,
  SandboxTimeline,
  SandboxVariants,
} from "./types.js";

export const DEFAULT_TIMELINE: SandboxTimeline = { queuedMs: 1000, runningMs: 2000 };

interface Environment {
  url: string;
  /** The platforms' video origin: a second listener, another port. */
  cdnUrl: string;
  jobs: PlatformJobs;
  now: () => number;
  timeline: SandboxTimeline;
  variants: SandboxVariants;
  requests: SandboxRequest[];
  faults: FaultBook;
  videoBytes: number | undefined;
  /** xAI's one-create-per-second limit, the only per-key state a sandbox keeps. */
  pacer: CreatePacer;
}

/** xAI: "1 request per second" for video models (providers.md section 6). */
const XAI_CREATE_INTERVAL_MS = 1000;

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/** Query parameters that could carry a secret are masked before the path reaches the request log. */
function redactPath(url: URL): string {
  const params = new URLSearchParams(url.search);
  for (const name of [...params.keys()]) {
    if (/key|token|auth|secret/i.test(name)) params.set(name, "[redacted]");
  }
  const search = params.toString();
  return search === "" ? url.pathname : `${url.pathname}?${search}`;
}

/** Authorization, Proxy-Authorization, x-api-key, api-key, x-goog-api-key, x-auth-token and the like. */
function carriesKey(req: IncomingMessage): boolean {
  return Object.keys(req.headers).some((name) => /auth|api[-_]?key|token|secret/i.test(name));
}

/** Lower-cased headers with every key-carrying value masked, its scheme word kept ("Key [redacted]"). */
function recordHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, raw] of Object.entries(req.headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(", ") : raw;
    if (!/auth|api[-_]?key|token|secret|cookie/i.test(name)) headers[name] = value;
    else {
      const scheme = /^([A-Za-z][\w-]*)\s+\S/.exec(value.trim())?.[1];
      headers[name] = scheme === undefined ? "[redacted]" : `${scheme} [redacted]`;
    }
  }
  return headers;
}

function findDialect(segment: string | undefined): AnySandboxDialect | undefined {
  return SANDBOX_DIALECTS.find((dialect) => dialect === segment);
}

async function routeRequest(ctx: RequestContext, dialect: AnySandboxDialect | undefined): Promise<void> {
  switch (dialect) {
    case "apimart":
    case "xcompute":
      return handleApimartFamily(ctx, dialect);
    case "jimmyai":
      return handleJimmyai(ctx);
    case "duoyuanx":
      return handleDuoyuanx(ctx);
    case "xai":
      return handleXai(ctx);
    case "fal":
    case "replicate":
    case "openrouter":
    case "aimlapi":
      return routePlatform(ctx, dialect);
    case undefined:
      return handleFiles(ctx);
  }
}

async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  env: Environment,
  origin: "api" | "cdn",
): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://sandbox.invalid");
  const [first, ...rest] = decodeSegments(url.pathname);
  // The CDN has no dialects: everything on it is the public file namespace.
  const dialect = origin === "cdn" ? undefined : findDialect(first);
  // Read once, on arrival: a stepping test clock moves on every reading, and pacing is about arrivals.
  const nowMs = Math.floor(env.now());
  const entry: SandboxRequest = { method, path: redactPath(url), status: 0, dialect: dialect ?? "files" };
  // Readable but not enumerable, so the entry compares and serialises as it did before these existed.
  Object.defineProperties(entry, {
    atMs: { value: nowMs, enumerable: false },
    sentKey: { value: carriesKey(req), enumerable: false },
    headers: { value: recordHeaders(req), enumerable: false },
    origin: { value: origin, enumerable: false },
  });
  env.requests.push(entry);
  let body: RequestBody = { kind: "none" };
  try {
    if (BODY_METHODS.has(method)) body = await readBody(req, entry);
  } catch {
    // The client went away mid-upload: nobody is left to answer.
    entry.status = 499;
    res.destroy();
    return;
  }
  const ctx: RequestContext = {
    req,
    res,
    method,
    segments: dialect ? rest : [first ?? "", ...rest],
    nowMs,
    timeline: env.timeline,
    variants: env.variants,
    body,
    entry,
    fileUrl: (id) => `${env.url}/files/${encodeURIComponent(id)}.mp4`,
    cdnFileUrl: (id) => `${env.cdnUrl}/files/${encodeURIComponent(id)}.mp4`,
    baseUrl: `${env.url}/${dialect ?? "files"}`,
    jobs: env.jobs,
    now: env.now,
    faults: env.faults,
    pacer: env.pacer,
    ...(env.videoBytes === undefined ? {} : { videoBytes: env.videoBytes }),
  };
  try {
    await (origin === "cdn" ? handleCdn(ctx) : routeRequest(ctx, dialect));
  } catch {
    // A sandbox bug must not take the host process (the CLI, a test run) down with it.
    if (res.headersSent) res.destroy();
    else sendJson(ctx, 500, { error: { message: "sandbox internal error", type: "server_error" } });
  }
}

function listen(server: Server, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // Loopback only: the sandbox accepts any key, so it must never be reachable from the network.
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("sandbox: no TCP address"));
      else resolve(address);
    });
  });
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const env: Environment = {
    url: "",
    cdnUrl: "",
    jobs: new PlatformJobs(),
    now: options.now ?? Date.now,
    timeline: options.timeline ?? DEFAULT_TIMELINE,
    variants: { ...DEFAULT_VARIANTS, ...options.variants },
    requests: [],
    // Built first so a bad fault list throws before a port is taken.
    faults: new FaultBook(options.faults ?? []),
    videoBytes: options.videoBytes,
    pacer: new CreatePacer(XAI_CREATE_INTERVAL_MS),
  };
  // Checked before a port is taken, like the faults: every download would otherwise answer 500.
  if (env.videoBytes !== undefined) checkPaddedSize(env.videoBytes);
  const server = createServer((req, res) => {
    void handleRequest(req, res, env, "api");
  });
  const cdn = createServer((req, res) => {
    void handleRequest(req, res, env, "cdn");
  });
  const address = await listen(server, options.port ?? 0);
  env.url = `http://127.0.0.1:${address.port}`;
  // Always a free port: --port names the API, and the CDN's URLs reach clients inside answers.
  const cdnAddress = await listen(cdn, 0).catch(async (error: unknown) => {
    await closeServer(server);
    throw error;
  });
  env.cdnUrl = `http://127.0.0.1:${cdnAddress.port}`;
  return {
    url: env.url,
    cdnUrl: env.cdnUrl,
    // OpenRouter's API lives under /api on its host (its default base URL ends in it), so the
    // sandbox's does too: a client appends the same routes to either.
    baseUrl: (dialect) => `${env.url}/${dialect}${dialect === "openrouter" ? "/api" : ""}`,
    requests: env.requests,
    setFaults: (faults) => env.faults.replace(faults),
    close: async () => {
      await Promise.all([closeServer(server), closeServer(cdn)]);
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // Idempotent, so a test may close early and still leave the sandbox to a shared afterEach.
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets would otherwise hold close() open for the idle timeout; this also drops
    // requests held by a stall fault, whose waits end with their sockets (fault-answers.ts hold()).
    server.closeAllConnections();
  });
}
