import { mkdir, realpath, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError } from "../index.js";
import { parseDuration } from "../util/duration.js";
import type { SpendingLimits } from "./budget.js";
import type { ServerSettings } from "./context.js";

/** `grokvid mcp`'s flags, as commander hands them over. */
export interface McpFlags {
  maxJobs?: string;
  maxUsd?: string;
  /** Repeatable; a global `--provider` before the command arrives as one string. */
  provider?: string[] | string;
  outDir?: string;
  allowRead?: string[];
  maxWait?: string;
  interval?: string;
  config?: string;
  quiet?: boolean;
  verbose?: boolean;
}

/**
 * What an agent may do when the person starting the server says nothing: a handful of jobs, a
 * few dollars, no local file read, downloads into the current folder. The README states them.
 */
export const MCP_DEFAULTS = { maxJobs: 5, maxUsd: 5, maxWait: "50s" } as const;

/** The longest a tool call may be asked to wait; clients give up on calls long before this. */
const MAX_WAIT_CEILING_S = 3600;

/** Everything the server runs with, checked before it serves a single call. */
export interface ServerOptions {
  settings: ServerSettings;
  limits: SpendingLimits;
  allowRead: string[];
}

/** A count or an amount, or "none" for no limit; anything else names the flag. */
function limitOf(flag: string, value: string | undefined, fallback: number, whole: boolean): number | null {
  if (value === undefined) return fallback;
  if (value.trim().toLowerCase() === "none") return null;
  const n = Number(value.trim().replace(/^\$/, ""));
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || (whole && !Number.isInteger(n))) {
    const what = whole ? "a whole number of jobs" : "an amount of US dollars such as 2.50";
    throw new UsageError(`${flag} ${value} is not ${what}, or none`);
  }
  return n;
}

function secondsOf(flag: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms < 1000 || ms > MAX_WAIT_CEILING_S * 1000) {
    throw new UsageError(`${flag} ${value} is not a duration from 1s to 1h, such as 50s or 2m`);
  }
  return Math.floor(ms / 1000);
}

async function folderOf(flag: string, dir: string, cwd: string): Promise<string> {
  const full = resolve(cwd, dir);
  const info = await stat(full).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`${flag} ${dir}: no such folder`);
  return realpath(full);
}

/** The flags read and checked; the output folder is created when missing. */
export async function readServerOptions(flags: McpFlags, cwd: string): Promise<ServerOptions> {
  const named = flags.provider === undefined ? [] : ([] as string[]).concat(flags.provider);
  const providers = named
    .flatMap((p) => p.split(","))
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p !== "");
  if (flags.interval !== undefined && (parseDuration(flags.interval) ?? 0) < 100) {
    throw new UsageError(`--interval ${flags.interval} is not a duration of at least 100ms, such as 5s`);
  }
  const outDir = resolve(cwd, flags.outDir ?? ".");
  await mkdir(outDir, { recursive: true }).catch((err: unknown) => {
    throw new UsageError(
      `--out-dir ${flags.outDir ?? "."}: cannot create it (${err instanceof Error ? err.message : String(err)})`,
    );
  });
  const allowRead = await Promise.all((flags.allowRead ?? []).map((d) => folderOf("--allow-read", d, cwd)));
  return {
    settings: {
      providers: providers.length > 0 ? [...new Set(providers)] : undefined,
      outDir: await folderOf("--out-dir", outDir, cwd),
      maxWaitSeconds: secondsOf("--max-wait", flags.maxWait ?? MCP_DEFAULTS.maxWait),
      interval: flags.interval,
      imagesFrom: allowRead[0],
    },
    limits: {
      maxJobs: limitOf("--max-jobs", flags.maxJobs, MCP_DEFAULTS.maxJobs, true),
      maxUsd: limitOf("--max-usd", flags.maxUsd, MCP_DEFAULTS.maxUsd, false),
    },
    allowRead,
  };
}
