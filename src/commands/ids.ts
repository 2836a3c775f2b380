import { assertTaskId, runExitCode } from "../index.js";
import { ExitCode, type ExitCodeValue, GrokvidError, UsageError } from "../util/errors.js";
import type { Output } from "../ui/output.js";
import { plural } from "../util/format.js";
import { readStdinText } from "./stdin.js";
import { cliMessage } from "../cli/flag-wording.js";

/** `-` as the id: the ids are read from standard input, one per line (`grokvid jobs --ids | ...`). */
const FROM_STDIN = "-";

/** Every id of standard input, blank lines skipped; all are checked before any is looked up. */
async function readIds(stdin: NodeJS.ReadableStream): Promise<string[]> {
  const lines = (await readStdinText(stdin)).split(/\r?\n/);
  const ids: string[] = [];
  for (const [i, line] of lines.entries()) {
    const id = line.trim();
    if (id === "") continue;
    try {
      assertTaskId(id);
    } catch (err) {
      throw new UsageError(
        `standard input line ${i + 1}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    ids.push(id);
  }
  if (ids.length === 0) throw new UsageError("no task ids on standard input (one per line)");
  return ids;
}

/**
 * Runs `one` for the id, or for each of several ids, where `-` stands for every id of standard
 * input, in order. One id's
 * failure is reported on stderr (and as a JSON line under --json) and the next goes on; the run
 * then fails with the most serious code. Under --json each id's document is one line (JSON lines).
 */
export async function forEachId(
  given: string | readonly string[],
  stdin: NodeJS.ReadableStream,
  out: Output,
  one: (id: string) => Promise<void>,
): Promise<void> {
  const list = typeof given === "string" ? [given] : given;
  const [only] = list;
  if (list.length === 1 && only !== undefined && only !== FROM_STDIN) return one(only);
  // Several ids (`cancel A B`), or `-`: every id is checked before the first is looked up.
  const ids: string[] = [];
  for (const id of list) {
    if (id === FROM_STDIN) ids.push(...(await readIds(stdin)));
    else {
      assertTaskId(id);
      ids.push(id);
    }
  }
  out.jsonLines = true;
  const codes: ExitCodeValue[] = [];
  for (const each of ids) {
    try {
      await one(each);
      codes.push(ExitCode.ok);
    } catch (err) {
      // A bug, or Ctrl-C, ends the whole run: the next id would not fare better.
      if (!(err instanceof GrokvidError) || err.exitCode === ExitCode.interrupted) throw err;
      codes.push(err.exitCode);
      out.error(`${each}: ${cliMessage(err)}`, err.hint);
      if (out.mode.json && !err.resultPrinted)
        out.resultJson({
          id: each,
          error: {
            exitCode: err.exitCode,
            message: cliMessage(err),
            ...(err.hint ? { hint: err.hint } : {}),
          },
          ...(err.task ? { task: err.task } : {}),
        });
    }
  }
  const failed = codes.filter((c) => c !== ExitCode.ok).length;
  // A usage error of one id (not in the journal) must not claim that nothing was sent for the others.
  const sent = codes.some((c) => c !== ExitCode.usage);
  const worst = runExitCode(codes, sent);
  if (worst === ExitCode.ok) return;
  const failure = new GrokvidError(`${failed} of ${plural(ids.length, "id")} did not succeed`, worst);
  failure.resultPrinted = true;
  throw failure;
}
