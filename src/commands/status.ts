import type { CommonFlags } from "./cli-output.js";
import { clientFor, createOutput, type InputRuntime } from "./cli-output.js";
import { forEachId } from "./ids.js";
import { formatStatusLine } from "./render.js";

/** One query, reported as is: a failed task is a successful report (exit 0); `wait` is for exit codes. */
export async function runStatus(id: string, flags: CommonFlags, runtime: InputRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const client = clientFor(flags, runtime, out);
  await forEachId(id, runtime.stdin, out, async (each) => {
    const task = await client.status(each);
    if (out.mode.json) out.resultJson(task);
    else out.result(formatStatusLine(task));
  });
}
