import type { Command } from "commander";
import { addCommon } from "./program-options.js";

/**
 * The common flags (--provider, --base-url, --config, --json, --quiet, --verbose, --no-color) are
 * accepted before the command too, as gh and kubectl take them: `grokvid --verbose create ...`.
 * The program parses them up to the command's name (positional options), then hands each one typed
 * to the command that runs, as if typed after it; so a command reads its flags in one place, and
 * one it does not take is refused as it would be after it (exit 2). Typed on both sides, the one
 * after the command wins, as the later of a repeated flag does.
 */
export function addGlobalOptions(program: Command): Command {
  // Listed apart from --version and --help, which only the program takes.
  return addCommon(program.optionsGroup("Common options (before or after the command):"))
    .enablePositionalOptions()
    .hook("preAction", (_program, command) => handDown(program, command));
}

function handDown(program: Command, command: Command): void {
  for (const option of program.options) {
    const name = option.attributeName();
    if (name === "version" || program.getOptionValueSource(name) !== "cli") continue;
    const own = command.options.find((o) => o.attributeName() === name);
    if (own === undefined)
      command.error(
        `error: option '${option.long ?? name}' does not apply to grokvid ${commandPath(command)}`,
        {
          exitCode: 2,
          code: "grokvid.optionNotTaken",
        },
      );
    if (command.getOptionValueSource(name) !== "cli")
      command.setOptionValueWithSource(name, program.getOptionValue(name), "cli");
  }
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(" ");
}

/**
 * The command's name on a line that may start with global flags (`--config FILE create`): the
 * first word that is neither a flag nor a global flag's value. Only that command is declared.
 */
export function commandOnLine(program: Command, argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? "";
    if (word === "--") return argv[i + 1];
    if (!word.startsWith("-") || word === "-") return word;
    const option = program.options.find((o) => o.long === word || o.short === word);
    if (option?.required) i++;
  }
  return undefined;
}
