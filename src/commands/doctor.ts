import { type DoctorCheck, GrokvidError } from "../index.js";
import { plural } from "../util/format.js";
import { clientFor, type CommandRuntime, type CommonFlags, createOutput } from "./cli-output.js";

/** `grokvid doctor [--provider P]`: one line per check; exit 0 only when every check passed. */
export async function runDoctorCommand(flags: CommonFlags, runtime: CommandRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const checks: DoctorCheck[] = await clientFor(flags, runtime, out).setup.doctor();
  if (out.mode.json) out.resultJson(checks);
  else {
    // Symbols on a terminal with colour; words a script or a log can grep otherwise.
    const fancy = out.colorLevel > 0 && runtime.stdout.isTTY === true;
    const mark = (c: DoctorCheck) =>
      fancy ? (c.ok ? "\u001b[32m✓\u001b[39m" : "\u001b[31m✗\u001b[39m") : c.ok ? "ok  " : "FAIL";
    for (const c of checks)
      out.result(`${mark(c)} ${c.name}: ${c.detail}${c.ok ? "" : ` (exit ${c.exitCode})`}`);
  }
  const failed = checks.filter((c) => !c.ok);
  const worst = failed.reduce((code, c) => Math.max(code, c.exitCode), 0);
  const first = failed.find((c) => c.exitCode === worst);
  if (first === undefined) return;
  const error = new GrokvidError(
    `${plural(failed.length, "check")} failed, first ${first.name}`,
    first.exitCode,
  );
  error.resultPrinted = true;
  throw error;
}
