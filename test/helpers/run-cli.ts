import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/grokvid.cjs", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  cwd: string;
  input?: string;
}

/**
 * Runs the built binary with a clean environment: only PATH, a temp HOME (so no user config is
 * found) and what the test passes. Colour off so assertions see plain text.
 */
/** The keys a test hands to grokvid; any of them in any output is a leak. */
export function secretsIn(env: Record<string, string>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => name.endsWith("_API_KEY") && value.length >= 6)
    .map(([, value]) => value);
}

/**
 * The journal the suites run against: none (the file in GROKVID_HOME), or, in the `postgres`
 * project (vitest.config.ts), the test's own fresh database (test/setup/journal-backend.ts).
 * Every way a test starts grokvid passes it, before the test's own variables.
 */
export function testJournalEnv(): Record<string, string> {
  const url = process.env.GROKVID_TEST_JOURNAL_URL;
  return url ? { GROKVID_JOURNAL_URL: url } : {};
}

/** The spawned binary's whole environment: PATH, a temp HOME and config folder, no colour, and the test's own. */
export function cliEnv(opts: CliOptions): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: opts.cwd,
    XDG_CONFIG_HOME: join(opts.cwd, ".config"),
    NO_COLOR: "1",
    ...testJournalEnv(),
    ...opts.env,
  };
}

export function runCli(args: readonly string[], opts: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: cliEnv(opts),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const leaked = secretsIn(opts.env ?? {}).find((k) => stdout.includes(k) || stderr.includes(k));
      // Every spawned command of the suite doubles as a canary check: no key may ever be printed.
      if (leaked) reject(new Error(`an API key was printed by: grokvid ${args.join(" ")}`));
      else resolve({ code, signal, stdout, stderr });
    });
    // A command that ends before reading its input (an unknown flag) closes the pipe first: the
    // EPIPE of the write is no failure of the test, which checks what the command printed.
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input ?? "");
  });
}

export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "grokvid-e2e-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Starts the binary and kills it with SIGKILL the moment `until` holds, looked at on every chunk of
 * stderr and every 25 ms (for conditions outside the process, such as a request the sandbox saw).
 * Gives up, killing it all the same, after `limitMs`; `killed` says whether `until` ever held.
 */
export function runUntilKilled(
  args: readonly string[],
  opts: CliOptions,
  until: (stderr: string) => boolean,
  limitMs = 10_000,
): Promise<{ stderr: string; killed: boolean; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? "", HOME: opts.cwd, NO_COLOR: "1", ...testJournalEnv(), ...opts.env },
    });
    let stderr = "";
    let killed = false;
    const check = () => {
      if (killed || !until(stderr)) return;
      killed = true;
      child.kill("SIGKILL");
    };
    const timer = setInterval(check, 25);
    const limit = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      check();
    });
    child.on("error", reject);
    child.on("close", (_code, signal) => {
      clearInterval(timer);
      clearTimeout(limit);
      resolve({ stderr, killed, signal });
    });
  });
}

/**
 * Starts the binary and sends it `signal` (SIGINT is Ctrl-C) the moment `until` holds, looked at
 * every 25 ms, so a test can interrupt at a state on disk (a .part file that exists) rather than
 * after a guessed delay. Killed with SIGKILL after `limitMs` if it never holds or never exits.
 */
export function runUntilSignalled(
  args: readonly string[],
  opts: CliOptions,
  until: () => boolean,
  signal: NodeJS.Signals,
  limitMs = 15_000,
): Promise<CliResult & { sent: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? "", HOME: opts.cwd, NO_COLOR: "1", ...testJournalEnv(), ...opts.env },
    });
    let stdout = "";
    let stderr = "";
    let sent = false;
    const timer = setInterval(() => {
      if (sent || !until()) return;
      sent = true;
      child.kill(signal);
    }, 25);
    const limit = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code, exitSignal) => {
      clearInterval(timer);
      clearTimeout(limit);
      const leaked = secretsIn(opts.env ?? {}).find((k) => stdout.includes(k) || stderr.includes(k));
      if (leaked) reject(new Error(`an API key was printed by: grokvid ${args.join(" ")}`));
      else resolve({ code, signal: exitSignal, stdout, stderr, sent });
    });
  });
}
