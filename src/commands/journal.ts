import { safeText } from "../ui/output.js";
import type { CommonFlags } from "./cli-output.js";
import { type CommandRuntime, clientFor, createOutput } from "./cli-output.js";

/** `journal import [FILE]`: a local journal into the shared one; says what was new. */
export async function runJournalImport(
  file: string | undefined,
  flags: CommonFlags,
  runtime: CommandRuntime,
): Promise<void> {
  const out = await createOutput(flags, runtime);
  const result = await clientFor(flags, runtime, out).importJournal(file === undefined ? {} : { from: file });
  if (out.mode.json) {
    out.resultJson(result);
    return;
  }
  const already = result.records - result.added;
  out.result(
    `imported ${result.records} records from ${result.from} into ${result.into}: ${result.added} new, ${already} already there`,
  );
  if (result.damaged > 0) out.info(`left out ${result.damaged} damaged lines (not whole records)`);
}

/** `journal export`: every record as a JSON line on stdout, oldest first (redirect it to a file). */
export async function runJournalExport(flags: CommonFlags, runtime: CommandRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  // The lines are JSON already, with or without --json: written as they are kept, never re-encoded.
  for await (const line of clientFor(flags, runtime, out).exportJournal())
    out.streams.stdout.write(`${safeText(line)}\n`);
}
