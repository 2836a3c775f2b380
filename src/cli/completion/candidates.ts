import type { Command, Option } from "commander";
import type { CompletionSources } from "../../index.js";

export type { CompletionSources } from "../../index.js";

/** Commands whose first argument is a job id from the journal. */
const TAKES_JOB_ID = new Set(["status", "wait", "download", "cancel", "edit", "extend"]);

/**
 * Only names a shell can show and insert as they are: a gateway name or a job id comes from a
 * file or a gateway, and a space, quote or control character in it must not reach the line.
 */
const SAFE = /^[\w.:@%+,=/-]+$/;

function findOption(cmd: Command, word: string): Option | undefined {
  return cmd.options.find((o) => o.long === word || o.short === word);
}

const takesValue = (o: Option | undefined): boolean => o !== undefined && (o.required || o.optional);

function flagsOf(cmd: Command): string[] {
  const flags = cmd.options.flatMap((o) => (o.hidden || o.long === undefined ? [] : [o.long]));
  return [...flags, "--help"];
}

/** What `--help` lists, `help` included, so hidden commands stay hidden. */
const visible = (cmd: Command): Command[] => cmd.createHelp().visibleCommands(cmd);

/**
 * The candidates for the last of `words` (the words after `grokvid`, the last one being the word
 * under the cursor, possibly empty), one per entry, already narrowed to that word's prefix. An
 * empty answer leaves the shell to complete file names (--output, --prompt-file, batch's FILE).
 */
export async function completeWords(
  program: Command,
  words: readonly string[],
  sources: CompletionSources,
): Promise<string[]> {
  const current = words.at(-1) ?? "";
  let cmd = program;
  let positionals = 0;
  let provider: string | undefined;
  let pendingValue: Option | undefined;
  for (const word of words.slice(0, -1)) {
    // bash splits `--provider=xai` at the `=` (COMP_WORDBREAKS): the value is the word after it.
    if (pendingValue && word === "=") continue;
    if (pendingValue) {
      if (pendingValue.long === "--provider") provider = word;
      pendingValue = undefined;
    } else if (word.startsWith("--") && word.includes("=")) {
      if (word.startsWith("--provider=")) provider = word.slice("--provider=".length);
    } else if (word.startsWith("-") && word !== "-") {
      const option = findOption(cmd, word);
      if (takesValue(option)) pendingValue = option;
    } else {
      const sub = positionals === 0 ? cmd.commands.find((c) => c.name() === word) : undefined;
      if (sub) cmd = sub;
      else positionals++;
    }
  }
  // zsh and fish pass `--provider=ap` whole: complete the value, and give it back with its flag.
  const glued = /^(--[\w-]+=)(.*)$/.exec(current);
  const gluedOption = glued ? findOption(cmd, glued[1]?.slice(0, -1) ?? "") : undefined;
  if (glued && takesValue(gluedOption)) pendingValue = gluedOption;
  const typed = glued && gluedOption ? (glued[2] ?? "") : pendingValue && current === "=" ? "" : current;
  const prefix = glued && gluedOption ? (glued[1] ?? "") : "";
  const all = await candidatesFor(cmd, typed, pendingValue, positionals, provider, sources);
  return [...new Set(all)].filter((c) => c.startsWith(typed) && SAFE.test(c)).map((c) => `${prefix}${c}`);
}

async function candidatesFor(
  cmd: Command,
  current: string,
  pendingValue: Option | undefined,
  positionals: number,
  provider: string | undefined,
  sources: CompletionSources,
): Promise<string[]> {
  if (pendingValue) {
    if (pendingValue.long === "--provider") return sources.providers();
    if (pendingValue.long === "--model") return sources.models(provider);
    return pendingValue.argChoices ?? [];
  }
  if (current.startsWith("-")) return flagsOf(cmd);
  const subcommands = visible(cmd);
  if (subcommands.length > 0 && positionals === 0) return subcommands.map((c) => c.name());
  if (positionals === 0 && TAKES_JOB_ID.has(cmd.name())) return sources.jobIds();
  const argument = cmd.registeredArguments[positionals];
  return argument?.argChoices ?? [];
}
