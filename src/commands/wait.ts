import { type PollFlags, pollOptions } from "./poll-flags.js";
import type { CommonFlags } from "./cli-output.js";
import { deferredStatusDisplay } from "../ui/status-display.js";
import { clientFor, createOutput, type InputRuntime } from "./cli-output.js";
import { forEachId } from "./ids.js";
import { renderFinal } from "./render.js";

export interface WaitFlags extends CommonFlags, PollFlags {}

/** Polls with a spinner (or plain lines), then prints the final status; exit 7 if it failed. */
export async function runWait(id: string, flags: WaitFlags, runtime: InputRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const client = clientFor(flags, runtime, out);
  await forEachId(id, runtime.stdin, out, async (each) => {
    const display = deferredStatusDisplay(out);
    const task = await client
      .wait(each, {
        ...pollOptions(flags),
        onUpdate: display.update,
      })
      .finally(() => display.stop());
    renderFinal(out, task);
  });
}
