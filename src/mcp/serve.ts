import type { Readable, Writable } from "node:stream";
import { isTerminal } from "../util/task-status.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type ServerNotification,
} from "@modelcontextprotocol/sdk/types.js";
import { createClient, type NormalizedTask, type Reporter, UsageError } from "../index.js";
import { formatUsd } from "../util/format.js";
import { redact } from "../util/redact.js";
import { stripTerminalControls } from "../util/untrusted.js";
import { VERSION } from "../util/version.js";
import { argumentSchemas } from "./args.js";
import { Budget } from "./budget.js";
import type { CallContext } from "./context.js";
import { callTool } from "./dispatch.js";
import { type McpFlags, readServerOptions, type ServerOptions } from "./options.js";
import { describeTask } from "./results.js";
import { toolDefinitions } from "./tools.js";

const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** What the process gives the server: stdin and stdout are the MCP channel, stderr is for remarks. */
export interface McpIo {
  stdin: Readable;
  stdout: Writable;
  stderr: { write(text: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  signal: AbortSignal;
}

/** Remarks go to stderr, one redacted line each: stdout carries nothing but the protocol. */
function stderrReporter(io: McpIo, flags: McpFlags): Reporter {
  const line = (text: string) =>
    void io.stderr.write(`grokvid mcp: ${redact(stripTerminalControls(text))}\n`);
  return {
    warn: (m) => line(`warning: ${m}`),
    info: (m) => (flags.quiet ? undefined : line(m)),
    debug: (m) => (flags.verbose ? line(m) : undefined),
  };
}

/** What an agent is told once, when it connects: the limits it works within. */
function instructions(options: ServerOptions): string {
  const { maxJobs, maxUsd } = options.limits;
  const jobs = maxJobs === null ? "no job limit" : `at most ${maxJobs} jobs`;
  const usd =
    maxUsd === null
      ? "no dollar limit"
      : `at most ${formatUsd(maxUsd)} by list price (jobs of unknown price are refused)`;
  const files =
    options.allowRead.length > 0
      ? `local images only from ${options.allowRead.join(", ")}`
      : "no local files";
  return `grokvid makes Grok Imagine videos through paid gateways. Jobs take minutes: create_video returns an id, wait_job and get_job follow it, download_job saves it into ${options.settings.outDir}. This server allows ${jobs} and ${usd}; ${files}. Call estimate_cost before create_video.`;
}

/**
 * Progress notifications for a call whose request asked for them (a progressToken), sent in order.
 * `finish` waits until every one is out and drops any later: a notification that follows the
 * call's result names a token the client has already forgotten (a protocol error on its side).
 */
function progressOf(send: (n: ServerNotification) => Promise<void>, token: string | number | undefined) {
  let step = 0;
  let sent: Promise<void> = Promise.resolve();
  let done = false;
  const update = (task: NormalizedTask) => {
    // The end of a job is the call's result, not progress: a notification sent right before the
    // result was still seen after it by the client now and then (an unknown token to it).
    if (token === undefined || done || isTerminal(task.status)) return;
    step += 1;
    const params = { progressToken: token, progress: step, message: redact(describeTask(task)) };
    sent = sent.then(() => send({ method: "notifications/progress", params })).catch(() => {});
  };
  const finish = async () => {
    done = true;
    await sent;
  };
  return { update, finish };
}

/**
 * `grokvid mcp`: serves the tools over stdio until the client closes stdin or a signal comes.
 * Nothing else is ever written to stdout; bad input is answered, never fatal.
 */
export async function runMcpServer(flags: McpFlags, io: McpIo): Promise<void> {
  const options = await readServerOptions(flags, io.cwd);
  const stop = new AbortController();
  const client = createClient({
    env: io.env,
    cwd: io.cwd,
    signal: stop.signal,
    reporter: stderrReporter(io, flags),
    allowRead: options.allowRead,
    // Loaded only when an agent asks for the offline simulator.
    sandbox: async (env) => (await import("../sandbox/index.js")).launchSandbox(env),
    ...(options.settings.providers ? { provider: options.settings.providers[0] } : {}),
    ...(flags.config === undefined ? {} : { config: flags.config }),
  });
  // A bad config file, or an allow-list naming no provider grokvid knows, stops the server before it serves.
  const known = new Set((await client.providers()).map((p) => p.id));
  const unknown = options.settings.providers?.filter((p) => !known.has(p)) ?? [];
  if (unknown.length > 0) {
    throw new UsageError(
      `--provider ${unknown.join(", ")}: not a known provider; accepted: ${[...known].join(", ")}`,
    );
  }
  const budget = new Budget(options.limits);
  const schemas = argumentSchemas(options.settings.maxWaitSeconds);
  const tools = toolDefinitions({ ...options.settings, readsFiles: options.allowRead.length > 0 });
  const server = new McpServer(
    { name: "grokvid", version: VERSION },
    { capabilities: { tools: {} }, instructions: instructions(options) },
  );
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const progress = progressOf(extra.sendNotification, request.params._meta?.progressToken);
    const ctx: CallContext = { client, budget, settings: options.settings, onUpdate: progress.update };
    try {
      return await callTool(ctx, schemas, request.params.name, request.params.arguments);
    } finally {
      // Every progress notification goes out before the result does, none after it.
      await progress.finish();
    }
  });
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
  });
  const close = () => void server.close().catch(() => {});
  // The stdio transport does not watch for the end of its input: a client that goes away closes it.
  io.stdin.once("end", close);
  io.stdout.once("error", close);
  if (io.signal.aborted) close();
  else io.signal.addEventListener("abort", close, { once: true });
  // An image may come inline as a data: URI of up to 20 MB (27 MB as base64), and a job may have
  // several: the SDK's default of 10 MB per message would close the connection on one of them.
  await server.connect(new StdioServerTransport(io.stdin, io.stdout, { maxBufferSize: MAX_MESSAGE_BYTES }));
  await closed;
  // Waits in progress stop; the jobs they were following are in the journal.
  stop.abort();
  await client.close();
  await new Promise<void>((resolve) => io.stdout.write("", () => resolve()));
}
