import { execFileSync, spawn } from "node:child_process";
import { mkdir, rm, symlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { BIN, cliEnv, type CliOptions, type CliResult } from "./run-cli.js";

/**
 * Things a state file can be instead of a regular file: each once hung grokvid (a FIFO blocks its
 * open or read, a folder left a claim "held" forever) or ate memory (/dev/zero never ends).
 */
export const OBSTACLES = ["FIFO", "directory", "symlink"] as const;
export type Obstacle = (typeof OBSTACLES)[number];

/** The words the one-line error uses for each obstacle. */
export const KIND_WORDS: Readonly<Record<Obstacle, string>> = {
  FIFO: "is a FIFO",
  directory: "is a directory",
  symlink: "is a symbolic link",
};

/** Puts `kind` at `path` (its folder made), replacing what is there; a real FIFO, a real link. */
export async function plant(path: string, kind: Obstacle): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await rm(path, { recursive: true, force: true });
  if (kind === "FIFO") execFileSync("mkfifo", [path]);
  else if (kind === "directory") await mkdir(join(path, "inside"), { recursive: true });
  else await symlink("/dev/zero", path);
}

export interface BoundedResult extends CliResult {
  /** Killed at the limit: it hung (or was busy reading something endless). */
  timedOut: boolean;
  ms: number;
}

/**
 * Runs the built binary like runCli, but SIGKILLs it after `limitMs`: a hang must fail the test,
 * not block the suite (a FIFO hang ignored SIGTERM, so nothing gentler would do).
 */
export function runBounded(
  args: readonly string[],
  opts: CliOptions,
  limitMs = 8000,
): Promise<BoundedResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: cliEnv(opts),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, limitMs);
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, ms: Date.now() - started });
    });
    // A command that exits before reading its input closes the pipe: that EPIPE is no failure.
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input ?? "");
  });
}
