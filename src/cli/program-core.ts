import { Command } from "commander";
import type { InputRuntime } from "../commands/cli-output.js";
import { safeCommanderText } from "./commander-text.js";
import { addGlobalOptions, commandOnLine } from "./global-options.js";
import { groupCommands } from "./help-groups.js";
import { VERSION } from "../util/version.js";

/** Declares one command, with its options, on the program. */
export type Declare = (program: Command, runtime: InputRuntime) => void;

/** What only `--help` shows: each command's examples and the program's closing reference. */
export interface HelpTexts {
  examples: Readonly<Record<string, readonly string[]>>;
  formatExamples: (examples: readonly string[]) => string;
  reference: () => string;
}

/**
 * The program with its global options, before any command is declared; with `help`, the closing
 * reference its own `--help` shows.
 */
export function baseProgram(runtime: InputRuntime, help?: HelpTexts): Command {
  const program = new Command("grokvid")
    .description("Submit Grok Imagine video jobs to any gateway, wait for them, and download the mp4.")
    .version(VERSION, "-V, --version", "print the version (also -v, or grokvid version)")
    .helpOption("-h, --help", "show help")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => runtime.stdout.write(s),
      writeErr: (s) => runtime.stderr.write(s),
      outputError: (s, write) => write(safeCommanderText(s, runtime.env)),
    })
    .showHelpAfterError("(run with --help for usage)");
  if (help) program.addHelpText("after", help.reference);
  return addGlobalOptions(program);
}

/**
 * Commands are imported when they run, so `--help` and `--version` load almost nothing. Only the
 * command on the line is declared with its options (declaring all of them was ~2 ms of every
 * start), found past any global flags before it; `help`, an unknown or no command declares every
 * command of `commands`, for help and hints. Without `help`, no help text is attached: the caller
 * knows none will be shown (see start-program.ts).
 */
export function declareOnLine(
  program: Command,
  runtime: InputRuntime,
  argv: readonly string[],
  commands: Readonly<Record<string, Declare>>,
  help?: HelpTexts,
): Command {
  const first = commandOnLine(program, argv);
  const declared = first !== undefined && Object.hasOwn(commands, first) ? [first] : Object.keys(commands);
  for (const name of declared) commands[name]?.(program, runtime);
  groupCommands(program);
  if (help) addExamples(program, "", help);
  return program;
}

/** Every declared command's `--help` ends with its examples (src/help-examples.ts); built when shown. */
function addExamples(parent: Command, prefix: string, help: HelpTexts): void {
  for (const cmd of parent.commands) {
    const path = `${prefix}${cmd.name()}`;
    const examples = help.examples[path];
    if (examples) cmd.addHelpText("after", () => help.formatExamples(examples));
    addExamples(cmd, `${path} `, help);
  }
}
