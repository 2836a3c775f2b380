import { resolvePoll } from "../config/resolve.js";
import { shellQuote } from "../util/format.js";
import { waitForTask } from "../core/wait.js";
import { ApiError, GrokvidError, InterruptedError } from "../errors.js";
import type { NormalizedTask } from "../providers/types.js";
import { createStatusDisplay } from "../ui/status-display.js";
import { guardInterrupt, renderFinal } from "./render.js";
import { type CommonFlags, type Runtime, type Session, withTaskSession } from "./session.js";

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
  const resume = `grokvid wait ${shellQuote(id)}${session.resumeFlags}`;
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
            onUpdate: async (task, elapsed) => {
              display.update(task, elapsed);
              await session.recorder.status(task);
            },
            onWarning: (w) => session.out.warn(w),
          },
          session.deps,
        ),
    );
  } catch (err) {
    // Whatever stopped the wait, the job may still be running and billed: say how to pick it up.
    // Unless the gateway says there is no such task: then nothing runs, and resuming cannot help.
    const gone = err instanceof ApiError && err.notFound;
    if (
      err instanceof GrokvidError &&
      !(err instanceof InterruptedError) &&
      !gone &&
      !err.hint?.includes(resume)
    ) {
      throw new GrokvidError(err.message, err.exitCode, {
        hint: `${err.hint ? `${err.hint}\n` : ""}task ${id} may still be running; resume with: ${resume}`,
        task: err.task,
        cause: err,
      });
    }
    throw err;
  } finally {
    display.stop();
  }
}

export async function runWait(id: string, flags: WaitFlags, runtime: Runtime): Promise<void> {
  await withTaskSession(id, flags, runtime, async (session) => {
    const poll = resolvePoll(flags, session.config, session.gateway.name);
    renderFinal(session, await waitAndReport(session, id, poll));
  });
}
