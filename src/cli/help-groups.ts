import { type Command, Help } from "commander";

/**
 * The top-level help's sections, as gh splits CORE from ADDITIONAL commands: twenty commands in
 * one list hide the five a newcomer needs. Each section lists its commands in this order (the
 * usual ones first), whatever order they are declared in. A test holds every declared command to one section, so a new one cannot land in a stray
 * "Commands:" list.
 */
export const commandGroups = {
  "Jobs:": ["create", "status", "wait", "download", "cancel", "edit", "extend", "batch", "resume"],
  "Review:": ["jobs", "gallery", "balance", "providers"],
  "Setup:": ["keys", "config", "journal", "doctor", "completion", "mcp", "sandbox", "version"],
} as const satisfies Record<string, readonly string[]>;

const ORDER: readonly string[] = Object.values(commandGroups).flat();
const rank = (cmd: Command): number => {
  const at = ORDER.indexOf(cmd.name());
  return at === -1 ? ORDER.length : at;
};

/** Puts each declared command (and `help`, last) in its section of `grokvid --help`, in order. */
export function groupCommands(program: Command): void {
  const headings = Object.entries(commandGroups);
  for (const cmd of program.commands) {
    const heading = headings.find(([, names]) => (names as readonly string[]).includes(cmd.name()));
    if (heading) cmd.helpGroup(heading[0]);
  }
  // commander creates `help` on demand, in the default section at that time: Setup, not a section of its own.
  program.commandsGroup("Setup:").helpCommand(true);
  // Only the program's own list: its subcommands took their help settings when they were declared.
  program.configureHelp({
    visibleCommands: (cmd) => new Help().visibleCommands(cmd).sort((a, b) => rank(a) - rank(b)),
  });
}
