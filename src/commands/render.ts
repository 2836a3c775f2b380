import { InterruptedError, TaskFailedError } from "../errors.js";
import type { NormalizedTask } from "../providers/types.js";
import type { Session } from "./session.js";

/** Tab-separated so scripts can `cut -f2`: id, status, then progress, URL or error when known. */
export function formatStatusLine(task: NormalizedTask): string {
  const fields = [task.id, task.status];
  if (task.progress !== null && task.status !== "succeeded") fields.push(`${task.progress}%`);
  if (task.videoUrl) fields.push(task.videoUrl);
  // A provider's message may hold tabs or newlines; the line must stay one line of fields.
  if (task.error) fields.push(task.error.message.replace(/\s+/g, " "));
  return fields.join("\t");
}

/** Prints the final task (line or JSON), then fails with exit 7 if the provider failed it. */
export function renderFinal(session: Session, task: NormalizedTask, extra: { path?: string } = {}): void {
  const { out } = session;
  if (out.mode.json) out.resultJson({ ...task, ...extra });
  else out.result(extra.path ?? formatStatusLine(task));
  if (task.status !== "succeeded") {
    const failure = new TaskFailedError(
      `task ${task.id} ${task.status} on ${task.provider}${task.error ? `: ${task.error.message}` : ""}`,
    );
    failure.resultPrinted = true;
    throw failure;
  }
}

/**
 * Ctrl-C aborts the signal; whatever was under way then surfaces as an abort error. It becomes exit
 * 130 with the command that picks the job up again, because the provider keeps running (and billing) it.
 */
export async function guardInterrupt<T>(
  session: Session,
  what: string,
  resume: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (session.http.signal?.aborted) throw new InterruptedError(`interrupted ${what}`, { hint: resume });
    throw err;
  }
}
