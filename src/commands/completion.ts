import { completionScripts, completionShells } from "../cli/completion/scripts.js";
import { UsageError } from "../util/errors.js";
import type { CommandRuntime } from "./cli-output.js";

/** `grokvid completion bash|zsh|fish`: the script is the result, so it goes to stdout. */
export function runCompletion(shell: string, runtime: CommandRuntime): void {
  // Commander checked the choice already; this keeps the type honest without a cast.
  const known = completionShells.find((s) => s === shell);
  if (known === undefined)
    throw new UsageError(`unknown shell ${shell}; accepted: ${completionShells.join(", ")}`);
  runtime.stdout.write(completionScripts[known]);
}
