import { fetchTask } from "../core/tasks.js";
import { formatStatusLine } from "./render.js";
import {
  type CommonFlags,
  createOutput,
  findJournaledJob,
  loadSessionConfig,
  openJournal,
  openSession,
  type Runtime,
} from "./session.js";

/** One query, reported as is: a failed task is a successful report (exit 0); `wait` is for exit codes. */
export async function runStatus(id: string, flags: CommonFlags, runtime: Runtime): Promise<void> {
  const out = createOutput(flags, runtime);
  const config = await loadSessionConfig(flags, runtime, out);
  const journal = openJournal(runtime, out);
  const job = await findJournaledJob(id, flags, runtime, config, journal);
  const session = await openSession(flags, runtime, out, config, { journal, job });
  try {
    const { task, warnings } = await fetchTask(session.gateway, id, session.deps);
    for (const w of warnings) out.warn(w);
    await session.recorder.status(task);
    if (out.mode.json) out.resultJson(task);
    else out.result(formatStatusLine(task));
  } finally {
    await session.close();
  }
}
