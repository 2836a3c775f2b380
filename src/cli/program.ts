import type { Command } from "commander";
import type { InputRuntime } from "../commands/cli-output.js";
import { formatExamples, formatReference, helpExamples } from "./help-examples.js";
import { baseProgram, declareOnLine } from "./program-core.js";
import { JOB_COMMANDS } from "./program-jobs.js";
import { REVIEW_COMMANDS } from "./program-review.js";
import { SETUP_COMMANDS } from "./program-setup.js";

/**
 * The whole program: every command (the ones that make videos, review and setup), each with the
 * examples and reference its `--help` ends with. Used for help, hints and completion; a job
 * command's line starts lighter (start-program.ts).
 */
export function buildProgram(runtime: InputRuntime, argv: readonly string[] = []): Command {
  const help = { examples: helpExamples, formatExamples, reference: formatReference };
  const commands = { ...JOB_COMMANDS, ...REVIEW_COMMANDS, ...SETUP_COMMANDS };
  return declareOnLine(baseProgram(runtime, help), runtime, argv, commands, help);
}
