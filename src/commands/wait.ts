import { resolvePoll, selectProvider } from "../config/resolve.js";
import { waitForTask } from "../core/wait.js";
import type { NormalizedTask } from "../providers/types.js";
import { createStatusDisplay } from "../ui/status-display.js";
import { guardInterrupt, renderFinal } from "./render.js";
import {
  type CommonFlags,
  createOutput,
  loadSessionConfig,
  openSession,
  type Runtime,
  type Session,
} from "./session.js";

export interface WaitFlags extends CommonFlags {
  interval?: string;
  timeout?: string;
}

/** The shared poll step of `wait`, `create --wait` and `download`: spinner or plain lines, Ctrl-C safe. */
export async function waitAndReport(
  session: Session,
  id: string,
  poll: { intervalMs: number; timeoutMs: number },
): Promise<NormalizedTask> {
  const resume = `grokvid wait ${id}${session.resumeFlags}`;
  const display = await createStatusDisplay(session.out);
  try {
    return await guardInterrupt(
      session,
      `while waiting; task ${id} is still running on ${session.gateway.name}`,
      `resume with: ${resume}`,
      () =>
        waitForTask(
          session.gateway,
          id,
          {
            ...poll,
            resumeHint: resume,
            onUpdate: (task, elapsed) => display.update(task, elapsed),
            onWarning: (w) => session.out.warn(w),
          },
          session.deps,
        ),
    );
  } finally {
    display.stop();
  }
}

export async function runWait(id: string, flags: WaitFlags, runtime: Runtime): Promise<void> {
  const out = createOutput(flags, runtime);
  const config = await loadSessionConfig(flags, runtime);
  const poll = resolvePoll(flags, config, selectProvider(flags.provider, runtime.env, config).choice);
  const session = await openSession(flags, runtime, out, config);
  try {
    renderFinal(session, await waitAndReport(session, id, poll));
  } finally {
    await session.close();
  }
}
