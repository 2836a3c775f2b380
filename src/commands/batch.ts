import { readFile } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import { parseBatchFile } from "../index.js";
import type { BatchEvent, BatchOptions, BatchResult } from "../index.js";
import { GrokvidError, InterruptedError, UsageError } from "../util/errors.js";
import { LiveLines } from "../ui/live-lines.js";
import type { Output } from "../ui/output.js";
import { describeTask } from "../ui/status-display.js";
import { plural, shellQuote } from "../util/format.js";
import { displayPath } from "../util/paths.js";
import { clientFor, createOutput, type InputRuntime } from "./cli-output.js";
import { openGallery } from "./gallery.js";

export interface BatchFlags extends BatchOptions {
  /** true: the default place (beside the manifest, else in --out-dir); a string: that file. */
  gallery?: boolean | string;
  open?: boolean;
}

/** As typed (a folder is fine), beside the manifest (run.json -> run.html), else gallery.html in --out-dir. */
function galleryOutput(flags: BatchFlags, cwd: string): string {
  if (typeof flags.gallery === "string") return flags.gallery;
  if (flags.manifest !== undefined) {
    const manifest = resolve(cwd, flags.manifest);
    const stem = basename(manifest, extname(manifest));
    const name = extname(manifest).toLowerCase() === ".html" ? `${stem}.gallery.html` : `${stem}.html`;
    return join(dirname(manifest), name);
  }
  return join(resolve(cwd, flags.outDir ?? "."), "gallery.html");
}

/**
 * The batch's jobs, in line order, whatever became of them; written even when some failed.
 * Resolves to the page's path as the user should see it, or to the error when it could not be
 * written after all (a full disk), which is reported after the batch's results, never instead.
 */
async function writeBatchGallery(
  client: ReturnType<typeof clientFor>,
  result: BatchResult,
  file: string,
  output: string,
  flags: BatchFlags,
  runtime: InputRuntime,
  out: Output,
): Promise<{ shown?: string; error?: GrokvidError }> {
  const jobs = result.entries.flatMap((e) =>
    e.id !== null && e.provider !== null ? [{ id: e.id, provider: e.provider }] : [],
  );
  try {
    const { path } = await client.gallery({
      jobs,
      output,
      force: flags.force === true,
      title: `grokvid batch ${file === "-" ? "(standard input)" : basename(file)}`,
    });
    const shown = displayPath(path, runtime.cwd);
    out.info(`gallery: ${shown}`);
    if (flags.open) await openGallery(path, runtime, out);
    return { shown };
  } catch (err) {
    if (!(err instanceof GrokvidError)) throw err;
    const hint = flags.manifest
      ? `write it again with: grokvid gallery --batch ${shellQuote(flags.manifest)} -o ${shellQuote(displayPath(output, runtime.cwd))}`
      : undefined;
    return { error: new GrokvidError(err.message, err.exitCode, hint ? { hint } : {}) };
  }
}

async function readBatchText(file: string, runtime: InputRuntime): Promise<string> {
  if (file === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of runtime.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return Buffer.concat(chunks).toString("utf8");
  }
  const path = resolve(runtime.cwd, file);
  return readFile(path, "utf8").catch(() => {
    throw new UsageError(`cannot read the batch file ${path}`);
  });
}

/** Each line's progress as a live line (or a plain line per change off a terminal), and a footer. */
function renderEvent(
  event: BatchEvent,
  out: Output,
  live: LiveLines,
  counts: { done: number; bad: number; total: number },
): void {
  const key = "line" in event ? `line ${event.line}` : "";
  switch (event.type) {
    case "invalid":
      return out.error(`line ${event.line}: ${event.message}`);
    case "warning":
      return out.warn(`line ${event.line}: ${event.message}`);
    case "planned":
      counts.total = event.total;
      out.info(
        `${plural(event.total, "job")}: ${event.submitting} to submit, ${event.total - event.submitting} known from earlier runs`,
      );
      break;
    case "progress":
      if (event.phase === "waiting")
        live.set(key, `${key}: waiting for grokvid (pid ${event.pid}), which is running this line`);
      else if (event.phase === "submitting") live.set(key, `${key}: submitting to ${event.provider}`);
      else if (event.phase === "submitted")
        live.set(key, `${key}: submitted task ${event.id} to ${event.provider}`);
      else live.set(key, `${key}: ${describeTask(event.task, event.elapsedMs)}`, event.task.status);
      return;
    case "ended": {
      const { task, entry } = event;
      if (!task) return live.finish(key, `${key}: ${entry.error ?? entry.status}`);
      const error = task.error ? `: ${task.error.message}` : "";
      return live.finish(
        key,
        `${key}: ${task.id} ${task.status}${entry.path ? ` -> ${entry.path}` : ""}${error}`,
      );
    }
    case "settled":
      counts.done++;
      if (event.entry.code !== 0) counts.bad++;
      break;
  }
  live.setFooter(`${counts.done} of ${counts.total} done, ${counts.bad} not ok`);
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
    const failure = new GrokvidError(
      `not every job of ${file} succeeded (${result.summary})`,
      result.exitCode,
    );
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
  // Checked before any job is paid for; the path as checked is the one written at the end.
  const galleryWanted = flags.gallery !== undefined && flags.gallery !== false;
  const gallery = galleryWanted
    ? await client.galleryTarget({ output: galleryOutput(flags, runtime.cwd), force: flags.force === true })
    : undefined;
  const live = new LiveLines(out);
  const counts = { done: 0, bad: 0, total: 0 };
  let result: BatchResult | undefined;
  try {
    for await (const event of client.batch(parsed, { ...flags, source: file })) {
      if (event.type === "done") result = event.result;
      else renderEvent(event, out, live, counts);
    }
  } finally {
    live.stop();
  }
  if (!result) return;
  const page = gallery ? await writeBatchGallery(client, result, file, gallery, flags, runtime, out) : {};
  report(out, result, file, flags, page);
}
