import { ExitCode, type ExitCodeValue, GrokvidError } from "../../util/errors.js";

/**
 * When several jobs end differently, the exit code names the most serious outcome: an interrupt,
 * then a bug, then problems that will hit every job (config, key, balance), then per-job ones.
 */
const PRIORITY: readonly ExitCodeValue[] = [
  ExitCode.interrupted,
  ExitCode.internal,
  ExitCode.config,
  ExitCode.auth,
  ExitCode.quota,
  ExitCode.provider,
  ExitCode.timeout,
  ExitCode.taskFailed,
  ExitCode.usage,
];

export function worstExitCode(codes: Iterable<ExitCodeValue>): ExitCodeValue {
  let worst: ExitCodeValue = ExitCode.ok;
  for (const code of codes) {
    if (code === ExitCode.ok) continue;
    const rank = PRIORITY.indexOf(code);
    if (worst === ExitCode.ok || (rank !== -1 && rank < PRIORITY.indexOf(worst))) worst = code;
  }
  return worst;
}

/**
 * The exit code of a run of several jobs. Exit 2 promises that nothing was sent: once any request
 * of the run went out, a usage error (a file in the way, a bad line) cannot say that, and the run
 * reports 6 instead; the message and the per-job report tell what went wrong.
 */
export function runExitCode(codes: Iterable<ExitCodeValue>, anythingSent: boolean): ExitCodeValue {
  const worst = worstExitCode(codes);
  return anythingSent && worst === ExitCode.usage ? ExitCode.provider : worst;
}

/**
 * A batch's exit code. Invalid lines that --skip-invalid asked to skip are reported (stderr,
 * manifest) but do not fail a run that sent its valid lines: the code tells how those went. With
 * nothing sent, they still exit 2.
 */
export function batchExitCode(
  entries: ReadonlyArray<{ status: string; code: ExitCodeValue }>,
  skipInvalid: boolean,
  sent: boolean,
): ExitCodeValue {
  const counted = skipInvalid && sent ? entries.filter((e) => e.status !== "invalid") : entries;
  return runExitCode(
    counted.map((e) => e.code),
    sent,
  );
}

/**
 * The same rule for one command: an error thrown after a request went out keeps its message and
 * hint, but a usage error's exit 2 would claim nothing was sent, so it becomes 6.
 */
export function afterSending(err: unknown): unknown {
  if (!(err instanceof GrokvidError) || err.exitCode !== ExitCode.usage) return err;
  const sent = new GrokvidError(err.message, ExitCode.provider, {
    ...(err.hint === undefined ? {} : { hint: err.hint }),
    task: err.task,
    cause: err,
  });
  sent.resultPrinted = err.resultPrinted;
  return sent;
}
