import { fetchTask } from "../core/tasks.js";
import { formatStatusLine } from "./render.js";
import { type CommonFlags, type Runtime, withTaskSession } from "./session.js";

/** One query, reported as is: a failed task is a successful report (exit 0); `wait` is for exit codes. */
export async function runStatus(id: string, flags: CommonFlags, runtime: Runtime): Promise<void> {
  await withTaskSession(id, flags, runtime, async (session) => {
    const { out } = session;
    const { task, warnings } = await fetchTask(session.gateway, id, session.deps);
    for (const w of warnings) out.warn(w);
    await session.recorder.status(task);
    if (out.mode.json) out.resultJson(task);
    else out.result(formatStatusLine(task));
  });
}
