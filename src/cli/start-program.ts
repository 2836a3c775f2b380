import type { Command } from "commander";
import type { InputRuntime } from "../commands/cli-output.js";
import { commandOnLine } from "./global-options.js";
import { baseProgram, declareOnLine } from "./program-core.js";
import { JOB_COMMANDS } from "./program-jobs.js";

/**
 * A word that may ask commander for help: `--help`, or a cluster of short flags holding `h`
 * (`-h`, `-qh`). A value that only looks like one (`--prompt -h`) counts too: then the line gets
 * the whole program, which is never wrong, only slower.
 */
const mayAskHelp = (word: string): boolean => word === "--help" || /^-[a-zA-Z]*h[a-zA-Z]*$/.test(word);

/**
 * The program for one command line. A command that makes videos (create, status, download, ...)
 * with no help flag on its line is declared from the job commands alone and without the help
 * texts, none of which it can show: a start-up then loads, parses and compiles neither the setup
 * and review commands' declarations (with the sandbox's and completion's help texts) nor the
 * examples. Any other line (help, a setup or review command, an unknown word, none) gets the
 * whole program (program.ts), loaded for it.
 */
export async function startProgram(runtime: InputRuntime, argv: readonly string[]): Promise<Command> {
  if (!argv.some(mayAskHelp)) {
    const program = baseProgram(runtime);
    const first = commandOnLine(program, argv);
    if (first !== undefined && Object.hasOwn(JOB_COMMANDS, first))
      return declareOnLine(program, runtime, argv, JOB_COMMANDS);
  }
  return (await import("./program.js")).buildProgram(runtime, argv);
}
