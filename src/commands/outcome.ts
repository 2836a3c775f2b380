import { ExitCode, type ExitCodeValue } from "../errors.js";

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
