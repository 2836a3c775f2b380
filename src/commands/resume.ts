import type { ResumeEvent, ResumeOptions, ResumeResult } from "../index.js";
import { GrokvidError } from "../util/errors.js";
import { LiveLines } from "../ui/live-lines.js";
import type { Output } from "../ui/output.js";
import { describeJobLine, holderName } from "../ui/job-line.js";
import { taskLine } from "../ui/task-line.js";
import { plural } from "../util/format.js";
import { type CommandRuntime, clientFor, createOutput } from "./cli-output.js";

export type ResumeFlags = ResumeOptions;

function renderEvent(event: ResumeEvent, out: Output, live: LiveLines): void {
  // On a terminal stdout each job's result line follows; its finished line would say it again.
  const keep = out.mode.json || out.streams.stdout.isTTY !== true;
  if (event.type === "started") {
    out.info(`resuming ${plural(event.total, "job")}`);
    return;
  }
  const { job } = event;
  const key = `${job.provider}/${job.id}`;
  // Named by the start of its prompt too: ids alone do not tell a person which job is which.
  const line = { label: "", prompt: job.params.prompt, id: job.id };
  if (event.type === "progress") {
    if (event.phase === "waiting")
      live.set(key, { ...line, state: `waiting for grokvid (${holderName(event)}), which is on this job` });
    else
      live.set(key, taskLine(event.task, event.elapsedMs, "", line.prompt), {
        state: event.task.status,
      });
    return;
  }
  if (event.type === "warning") {
    out.warn(event.message);
    return;
  }
  const { outcome } = event;
  const ended = (state: string) => live.finish(key, describeJobLine({ ...line, state }), keep);
  if (event.elsewhere) ended(`${outcome.status} (finished by another grokvid)`);
  else if (outcome.status === "error") ended(outcome.error ?? "");
  else {
    const refused = outcome.code !== 0 && outcome.path ? " (not what was asked: --strict)" : "";
    ended(`${outcome.status}${outcome.path ? ` -> ${outcome.path}` : ""}${refused}`);
  }
}

function report(out: Output, result: ResumeResult): void {
  const { outcomes, total } = result;
  if (out.mode.json) out.resultJson(outcomes);
  else
    for (const o of outcomes) {
      // A video --strict refused has both a path and the reason: the reason is a fourth column.
      const why = o.path && o.error ? o.error : "";
      out.result([o.id, o.status, o.path ?? o.error ?? "", why].join("\t").trimEnd());
    }
  const ok = outcomes.filter((o) => o.code === 0).length;
  const refused = outcomes.filter((o) => o.status === "succeeded" && o.code !== 0).length;
  out.info(
    `${ok} of ${plural(total, "job")} succeeded${refused > 0 ? `; ${refused} not as asked (--strict)` : ""}`,
  );
  if (result.exitCode !== 0) {
    const failure = new GrokvidError(
      `${total - ok} of ${plural(total, "job")} did not succeed`,
      result.exitCode,
    );
    failure.resultPrinted = true;
    throw failure;
  }
}

/** Picks up every job a crash, Ctrl-C or timeout left behind. */
export async function runResume(flags: ResumeFlags, runtime: CommandRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const live = new LiveLines(out);
  let result: ResumeResult;
  try {
    result = await clientFor(flags, runtime, out).resume({
      ...flags,
      onEvent: (e) => renderEvent(e, out, live),
    });
  } finally {
    live.stop();
  }
  if (result.total === 0) {
    out.info(flags.download ? "nothing to resume or download" : "nothing to resume");
    if (out.mode.json) out.resultJson([]);
    return;
  }
  report(out, result);
}
