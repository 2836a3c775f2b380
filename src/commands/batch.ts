import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import {
  type BatchGallery,
  type BatchOptions,
  type BatchResult,
  type BatchStreamEvent,
  parseBatchFile,
} from "../index.js";
import { GrokvidError, InterruptedError, UsageError } from "../util/errors.js";
import { LiveLines } from "../ui/live-lines.js";
import type { Output } from "../ui/output.js";
import { type BatchCounts, renderBatchEvent } from "../ui/batch-events.js";
import { plural, shellQuote } from "../util/format.js";
import { displayPath } from "../util/paths.js";
import { clientFor, createOutput, type InputRuntime } from "./cli-output.js";
import { readStdinText } from "./stdin.js";
import { whyUnreadable } from "../util/file-errors.js";
import { openGallery } from "./gallery.js";

export interface BatchFlags extends BatchOptions {
  /** Open the gallery (--gallery) in the browser once written. */
  open?: boolean;
}

/**
 * The library wrote the batch's page: its path as the user should see it, or the error (a full
 * disk) with the command that writes it again, reported after the batch's results, never instead.
 */
async function showGallery(
  gallery: BatchGallery,
  flags: BatchFlags,
  runtime: InputRuntime,
  out: Output,
): Promise<{ shown?: string; error?: GrokvidError }> {
  if ("error" in gallery) {
    const hint = flags.manifest
      ? `write it again with: grokvid gallery --batch ${shellQuote(flags.manifest)} -o ${shellQuote(displayPath(gallery.path, runtime.cwd))}`
      : undefined;
    return { error: new GrokvidError(gallery.error.message, gallery.error.exitCode, hint ? { hint } : {}) };
  }
  const shown = displayPath(gallery.path, runtime.cwd);
  out.info(`gallery: ${shown}`);
  if (flags.open) await openGallery(gallery.path, runtime, out);
  return { shown };
}

async function readBatchText(file: string, runtime: InputRuntime): Promise<string> {
  if (file === "-") return readStdinText(runtime.stdin);
  const path = resolve(runtime.cwd, file);
  return readFile(path, "utf8").catch((err: unknown) => {
    throw new UsageError(`cannot read the batch file ${path} (${whyUnreadable(err)})`);
  });
}

/**
 * The page's path is the last stdout line (text mode; --json keeps one array). A page that could
 * not be written is an error after the results, and the exit code when the batch's own is 0.
 */
function report(
  out: Output,
  result: BatchResult,
  file: string,
  flags: BatchFlags,
  page: { shown?: string; error?: GrokvidError },
): void {
  const { entries } = result;
  if (out.mode.json) out.resultJson(entries);
  else {
    for (const e of entries)
      out.result([e.line, e.id ?? "-", e.status, e.path ?? e.error ?? ""].join("\t").trimEnd());
    if (page.shown !== undefined) out.result(page.shown);
  }
  out.info(`batch: ${result.summary}`);
  if (result.earlierFailures > 0 && !flags.retryFailed)
    out.info(
      `${plural(result.earlierFailures, "line")} failed in an earlier run; --retry-failed submits them again`,
    );
  const batchFailed = result.interrupted !== undefined || result.exitCode !== 0;
  // Said here when the batch's own error will be the last line; thrown below when it is the only one.
  if (page.error && batchFailed) out.error(page.error.message, page.error.hint);
  if (result.interrupted !== undefined) {
    const stopped = new InterruptedError("interrupted; submitted jobs are in the journal", {
      hint: result.interrupted,
    });
    stopped.resultPrinted = true;
    throw stopped;
  }
  if (result.exitCode !== 0) {
    // The summary was the line above: the error only says what it means.
    const failure = new GrokvidError(`not every job of ${file} succeeded`, result.exitCode);
    failure.resultPrinted = true;
    throw failure;
  }
  if (page.error) {
    page.error.resultPrinted = true;
    throw page.error;
  }
}

export async function runBatch(file: string, flags: BatchFlags, runtime: InputRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const client = clientFor(flags, runtime, out);
  await client.loadConfig();
  const parsed = parseBatchFile(await readBatchText(file, runtime));
  const title = `grokvid batch ${file === "-" ? "(standard input)" : basename(file)}`;
  const live = new LiveLines(out);
  const counts: BatchCounts = { done: 0, bad: 0, total: 0 };
  let done: Extract<BatchStreamEvent, { type: "done" }> | undefined;
  try {
    for await (const event of client.batch(parsed, { ...flags, galleryTitle: title, source: file })) {
      if (event.type === "done") done = event;
      else renderBatchEvent(event, out, live, counts);
    }
  } finally {
    live.stop();
  }
  if (!done) return;
  const page = done.gallery ? await showGallery(done.gallery, flags, runtime, out) : {};
  report(out, done.result, file, flags, page);
}
