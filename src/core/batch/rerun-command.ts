import { shellQuote } from "../../util/format.js";
import type { BatchOptions } from "./events.js";

type Flag = readonly [option: keyof BatchOptions, flag: string];

/** Options that decide which lines run, how, and where their files and reports go. */
const VALUED: readonly Flag[] = [
  ["provider", "--provider"],
  ["config", "--config"],
  ["baseUrl", "--base-url"],
  ["outDir", "--out-dir"],
  ["template", "--template"],
  ["manifest", "--manifest"],
  ["concurrency", "--concurrency"],
  ["interval", "--interval"],
  ["timeout", "--timeout"],
];

const SWITCHES: readonly Flag[] = [
  ["retryFailed", "--retry-failed"],
  ["resubmitUncertain", "--resubmit-uncertain"],
  ["skipInvalid", "--skip-invalid"],
  ["failFast", "--fail-fast"],
  ["strict", "--strict"],
  ["force", "--force"],
];

/**
 * The `grokvid batch` command that picks up where this run stopped: the same file with every option
 * it was given, so the rest of the lines land in the same folder and the same manifest and gallery
 * are brought up to date (a bare `grokvid batch FILE` would put them elsewhere).
 */
export function rerunCommand(source: string, options: BatchOptions): string {
  const parts = ["grokvid", "batch", shellQuote(source)];
  for (const [option, flag] of VALUED) {
    const value = options[option];
    if (typeof value === "string" || typeof value === "number") parts.push(flag, shellQuote(String(value)));
  }
  if (options.gallery === true) parts.push("--gallery");
  else if (typeof options.gallery === "string") parts.push("--gallery", shellQuote(options.gallery));
  if (options.cancelOnTimeout !== undefined)
    parts.push(options.cancelOnTimeout ? "--cancel-on-timeout" : "--no-cancel-on-timeout");
  for (const [option, flag] of SWITCHES) if (options[option] === true) parts.push(flag);
  return parts.join(" ");
}
