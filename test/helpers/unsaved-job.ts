import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import type { E2eContext } from "./e2e.js";
import { type CliOptions, type CliResult, runUntilKilled, runUntilSignalled } from "./run-cli.js";

/** The paid creates the sandbox saw: what a re-run must not add to. */
export const creates = (e2e: E2eContext) => e2e.sandbox.requests.filter((r) => r.method === "POST");

/** The id a create announced on stderr. */
export function submittedId(stderr: string): string {
  const id = /submitted task (\S+)/.exec(stderr)?.[1];
  if (id === undefined) throw new Error(`no task was submitted: ${stderr}`);
  return id;
}

/** The bytes of `<file>.part` and `<file>.part.json`, to show a re-run left them as they were. */
export async function partOf(dir: string, file: string): Promise<{ part: Buffer; meta: Buffer }> {
  const part = await readFile(join(dir, `${file}.part`));
  return { part, meta: await readFile(join(dir, `${file}.part.json`)) };
}

/**
 * Runs a command whose download trickles (16 bytes every 2 ms: the writer holds 512 pieces before
 * it writes, so the part reaches the disk after about a second, and the whole video would take
 * ten), and sends it Ctrl-C once
 * `<file>.part` holds the start of a video and its `.part.json` names the task: the state a user
 * leaves by pressing Ctrl-C mid-download.
 */
export async function interruptDownload(
  e2e: E2eContext,
  args: readonly string[],
  opts: CliOptions,
  file: string,
): Promise<CliResult> {
  e2e.sandbox.setFaults([{ kind: "trickle", target: "download", ms: 2 }]);
  const started = (name: string, bytes: number) =>
    (statSync(join(opts.cwd, name), { throwIfNoEntry: false })?.size ?? 0) >= bytes;
  const run = await runUntilSignalled(
    args,
    opts,
    () => started(`${file}.part`, 64) && started(`${file}.part.json`, 1),
    "SIGINT",
  );
  e2e.sandbox.setFaults([]);
  expect(run.sent, run.stderr).toBe(true);
  expect(run.code, run.stderr).toBe(130);
  return run;
}

/** Runs a create and kills it (SIGKILL: no cleanup at all) as soon as its id is announced. */
export async function killAfterSubmit(args: readonly string[], opts: CliOptions): Promise<string> {
  const run = await runUntilKilled(args, opts, (stderr) => /submitted task \S+/.test(stderr));
  expect(run.killed).toBe(true);
  return submittedId(run.stderr);
}
