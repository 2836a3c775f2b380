import { setTimeout as delay } from "node:timers/promises";
import { loadConfig } from "../config/load.js";
import { type ProviderSelection, resolveConnection, selectProvider } from "../config/resolve.js";
import type { GrokvidConfig } from "../config/schema.js";
import type { TaskDeps } from "../core/tasks.js";
import { UsageError } from "../errors.js";
import { createDispatcher, type Gateway, type HttpDeps } from "../http/client.js";
import { providers } from "../providers/registry.js";
import { Output, type Streams } from "../ui/output.js";
import { VERSION } from "../version.js";
import { sandboxTimeline } from "./sandbox-timeline.js";

/** What the process gives a command: streams, environment, a cancel signal. Tests pass their own. */
export interface Runtime extends Streams {
  cwd: string;
  signal: AbortSignal;
}

export interface CommonFlags {
  provider?: string;
  config?: string;
  baseUrl?: string;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
  json?: boolean;
}

export interface Session {
  out: Output;
  config: GrokvidConfig;
  gateway: Gateway;
  http: HttpDeps;
  deps: TaskDeps;
  /** The flags that reach this same task again, for "resume with:" hints. */
  resumeFlags: string;
  close(): Promise<void>;
}

const SANDBOX_KEY = "sandbox";

export function createOutput(flags: CommonFlags, runtime: Runtime): Output {
  return new Output(runtime, {
    json: flags.json === true,
    quiet: flags.quiet === true,
    verbose: flags.verbose === true,
    color: flags.color !== false,
  });
}

export async function loadSessionConfig(flags: CommonFlags, runtime: Runtime): Promise<GrokvidConfig> {
  return (await loadConfig(flags.config ?? runtime.env.GROKVID_CONFIG, runtime.cwd)).config;
}

export interface ResolvedGateway {
  selection: ProviderSelection;
  gateway: Gateway;
  stopSandbox: (() => Promise<void>) | undefined;
}

/**
 * Resolves provider, base URL and key. `--provider sandbox` starts the simulator in this process
 * on 127.0.0.1, so the tool works with no network and no key.
 */
export async function resolveGateway(
  flags: CommonFlags,
  runtime: Runtime,
  out: Output,
  config: GrokvidConfig,
): Promise<ResolvedGateway> {
  const selection = selectProvider(flags.provider, runtime.env, config);
  const provider = providers[selection.dialect];
  const name = selection.choice;
  if (selection.choice !== "sandbox") {
    const connection = resolveConnection(selection, flags.baseUrl, runtime.env, config);
    return { selection, gateway: { name, provider, ...connection }, stopSandbox: undefined };
  }
  if (flags.baseUrl !== undefined) {
    throw new UsageError(
      "--base-url cannot be used with --provider sandbox: the sandbox runs inside grokvid",
    );
  }
  const { startSandbox } = await import("../sandbox/server.js");
  const sandbox = await startSandbox({ timeline: sandboxTimeline(undefined, runtime.env) });
  out.debug(`sandbox listening on ${sandbox.url}`);
  return {
    selection,
    gateway: {
      name,
      provider,
      baseUrl: sandbox.baseUrl(selection.dialect),
      apiKey: SANDBOX_KEY,
      keyVariable: "(none: the sandbox needs no key)",
    },
    stopSandbox: () => sandbox.close(),
  };
}

/** The gateway plus the injected I/O every network command needs. */
export async function openSession(
  flags: CommonFlags,
  runtime: Runtime,
  out: Output,
  config: GrokvidConfig,
): Promise<Session> {
  const { selection, gateway, stopSandbox } = await resolveGateway(flags, runtime, out, config);
  // undici is the heaviest import; only commands that really send anything pay for it.
  const dispatcher = await createDispatcher();
  const http: HttpDeps = {
    dispatcher,
    now: Date.now,
    sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : {}),
    random: Math.random,
    signal: runtime.signal,
    userAgent: `grokvid/${VERSION}`,
    onRetry: ({ attempt, delayMs, reason }) => out.debug(`retry ${attempt} in ${delayMs}ms after ${reason}`),
    // Query strings are dropped: signed CDN URLs carry their credentials there.
    onResponse: ({ method, url, status, ms }) =>
      out.debug(`${method} ${url.split("?")[0]} -> ${status} (${ms}ms)`),
  };
  out.debug(`provider ${selection.choice} at ${gateway.baseUrl}`);
  const resumeFlags = ` --provider ${selection.choice}${flags.baseUrl ? ` --base-url ${flags.baseUrl}` : ""}`;
  return {
    out,
    config,
    gateway,
    http,
    deps: { http, now: () => new Date() },
    resumeFlags,
    async close() {
      await dispatcher.close();
      await stopSandbox?.();
    },
  };
}
