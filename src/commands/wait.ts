import type { CommonFlags } from "../core/context.js";
import { deferredStatusDisplay } from "../ui/status-display.js";
import { type CommandRuntime, clientFor, createOutput } from "./cli-output.js";
import { renderFinal } from "./render.js";

export interface WaitFlags extends CommonFlags {
  interval?: string;
  timeout?: string;
}

/** Polls with a spinner (or plain lines), then prints the final status; exit 7 if it failed. */
export async function runWait(id: string, flags: WaitFlags, runtime: CommandRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const display = deferredStatusDisplay(out);
  const task = await clientFor(flags, runtime, out)
    .wait(id, {
      ...(flags.interval === undefined ? {} : { interval: flags.interval }),
      ...(flags.timeout === undefined ? {} : { timeout: flags.timeout }),
      onUpdate: display.update,
    })
    .finally(() => display.stop());
  renderFinal(out, task);
}
