import type { CancelResult } from "../index.js";
import type { CommonFlags } from "./cli-output.js";
import { clientFor, createOutput, type InputRuntime } from "./cli-output.js";
import { forEachId } from "./ids.js";

/** What happened, in one line a person reads: the id first, as every result line has it. */
function describe(result: CancelResult): string {
  return result.outcome === "requested"
    ? `${result.id}\tcancelled\t${result.provider} took the cancel`
    : `${result.id}\t${result.task.status}\thad already finished on ${result.provider}; nothing to cancel`;
}

/** Cancels each job where its platform can; one that cannot is refused before anything is sent. */
export async function runCancel(ids: string[], flags: CommonFlags, runtime: InputRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const client = clientFor(flags, runtime, out);
  await forEachId(ids, runtime.stdin, out, async (each) => {
    const result = await client.cancel(each);
    if (out.mode.json) out.resultJson(result);
    else out.result(describe(result));
  });
}
