import type { CommonFlags } from "../core/context.js";
import { type CommandRuntime, clientFor, createOutput } from "./cli-output.js";
import { formatStatusLine } from "./render.js";

/** One query, reported as is: a failed task is a successful report (exit 0); `wait` is for exit codes. */
export async function runStatus(id: string, flags: CommonFlags, runtime: CommandRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const task = await clientFor(flags, runtime, out).status(id);
  if (out.mode.json) out.resultJson(task);
  else out.result(formatStatusLine(task));
}
