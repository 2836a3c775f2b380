import type { Argument, Command, Option } from "commander";
import { taskStatuses, type CompletionSources, type ModelFlag } from "../../index.js";
import { FILE_NAMES } from "./scripts.js";

export type { CompletionSources } from "../../index.js";

/**
 * Only names a shell can show and insert as they are: a gateway name or a job id comes from a
 * file or a gateway, and a space, quote or control character in it must not reach the line.
 */
const SAFE = /^[\w.:@%+,=/-]+$/;

/**
 * Value names that are paths, as the declarations call them (`--output <path>`, `batch <file>`):
 * there, and only there, the shell completes file names.
 */
const PATH_NAMES = new Set(["path", "file", "dir", "path-or-url", "manifest"]);

/** What the words before the cursor said: the command, its positionals, each flag's value. */
interface Line {
  cmd: Command;
  positionals: number;
  values: Map<string, string>;
}

type Source = (sources: CompletionSources, line: Line) => Promise<string[]> | string[];

/** The provider and model on the line, for the limits of the model a create would use. */
const limits =
  (flag: ModelFlag): Source =>
  (sources, { cmd, values }) => {
    const provider = values.get("--provider");
    const model = values.get("--model");
    return sources.flagValues(flag, {
      ...(provider === undefined ? {} : { provider }),
      ...(model === undefined ? {} : { model }),
      ...(cmd.name() === "extend" ? { operation: "extend" } : {}),
    });
  };

/** Where a flag's value comes from, by the flag (jobs' and gallery's --provider too). */
const FLAG_VALUES = new Map<string, Source>([
  ["--provider", (sources) => sources.providers()],
  ["--model", (sources, line) => sources.models(line.values.get("--provider"))],
  ["--status", () => [...taskStatuses]],
  ["--duration", limits("duration")],
  ["--ratio", limits("ratio")],
  ["--resolution", limits("resolution")],
]);

/** Where an argument's value comes from, by its name in the declaration (`keys set <provider>`). */
const ARGUMENT_VALUES = new Map<string, Source>([
  ["id", (sources) => sources.jobIds()],
  ["ids", (sources) => sources.jobIds()],
  ["source", (sources) => sources.jobIds()],
  ["provider", (sources) => sources.providers()],
  ["key", (sources) => sources.configKeys()],
]);

function findOption(cmd: Command, word: string): Option | undefined {
  return cmd.options.find((o) => o.long === word || o.short === word);
}

const takesValue = (o: Option | undefined): boolean => o !== undefined && (o.required || o.optional);

/** `--output <path>` -> "path". */
const valueName = (o: Option): string | undefined => /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1];

function flagsOf(cmd: Command): string[] {
  const flags = cmd.options.flatMap((o) => (o.hidden || o.long === undefined ? [] : [o.long]));
  return [...flags, "--help"];
}

/** What `--help` lists, `help` included, so hidden commands stay hidden. */
const visible = (cmd: Command): Command[] => cmd.createHelp().visibleCommands(cmd);

/** The argument at a position, a variadic last one standing for every position after it. */
function argumentAt(cmd: Command, position: number): Argument | undefined {
  const args = cmd.registeredArguments;
  const last = args.at(-1);
  return args[position] ?? (last?.variadic ? last : undefined);
}

function readLine(program: Command, words: readonly string[]): Line & { pending: Option | undefined } {
  const line: Line = { cmd: program, positionals: 0, values: new Map() };
  let pending: Option | undefined;
  for (const word of words) {
    // bash splits `--provider=xai` at the `=` (COMP_WORDBREAKS): the value is the word after it.
    if (pending && word === "=") continue;
    if (pending) {
      line.values.set(pending.long ?? "", word);
      pending = undefined;
    } else if (word.startsWith("--") && word.includes("=")) {
      const at = word.indexOf("=");
      const option = findOption(line.cmd, word.slice(0, at));
      if (option?.long) line.values.set(option.long, word.slice(at + 1));
    } else if (word.startsWith("-") && word !== "-") {
      const option = findOption(line.cmd, word);
      if (takesValue(option)) pending = option;
    } else {
      const sub = line.positionals === 0 ? line.cmd.commands.find((c) => c.name() === word) : undefined;
      if (sub) line.cmd = sub;
      else line.positionals++;
    }
  }
  return { ...line, pending };
}

/**
 * What `__complete` prints for the last of `words` (the words after `grokvid`, the last one being
 * the word under the cursor, possibly empty): the candidates, one per entry, already narrowed to
 * that word's prefix; or the one entry FILE_NAMES where a path goes, for the shell to complete.
 */
export async function completeWords(
  program: Command,
  words: readonly string[],
  sources: CompletionSources,
): Promise<string[]> {
  const { words: joined, replaced } = joinColons(words);
  const current = joined.at(-1) ?? "";
  const { pending, ...line } = readLine(program, joined.slice(0, -1));
  let pendingValue = pending;
  // zsh and fish pass `--provider=ap` whole: complete the value, and give it back with its flag.
  const glued = /^(--[\w-]+=)(.*)$/.exec(current);
  const gluedOption = glued ? findOption(line.cmd, glued[1]?.slice(0, -1) ?? "") : undefined;
  if (glued && takesValue(gluedOption)) pendingValue = gluedOption;
  const typed = glued && gluedOption ? (glued[2] ?? "") : pendingValue && current === "=" ? "" : current;
  const prefix = glued && gluedOption ? (glued[1] ?? "") : "";
  const all = await candidatesFor(line, typed, pendingValue, sources);
  if (all === FILE_NAMES) return [FILE_NAMES];
  return [...new Set(all)]
    .filter((c) => c.startsWith(typed) && SAFE.test(c))
    .map((c) => `${prefix}${c}`.slice(replaced.length));
}

/**
 * bash splits a word at a colon too (COMP_WORDBREAKS): `--ratio 16:9` arrives as `16`, `:`, `9`.
 * The word under the cursor is those joined again; bash replaces only what follows the last colon,
 * so `replaced` is what each candidate gives up. A run never starts with the first word (the
 * command), and zsh and fish pass the word whole.
 */
function joinColons(words: readonly string[]): { words: readonly string[]; replaced: string } {
  let start = words.length - 1;
  while (start > 1 && (words[start] === ":" || words[start - 1] === ":")) start--;
  if (start === words.length - 1 || words[start] === ":") return { words, replaced: "" };
  const word = words.slice(start).join("");
  return { words: [...words.slice(0, start), word], replaced: word.slice(0, word.lastIndexOf(":") + 1) };
}

type Candidates = string[] | typeof FILE_NAMES;

async function candidatesFor(
  line: Line,
  current: string,
  pendingValue: Option | undefined,
  sources: CompletionSources,
): Promise<Candidates> {
  if (pendingValue) {
    const source = FLAG_VALUES.get(pendingValue.long ?? "");
    if (source) return source(sources, line);
    return PATH_NAMES.has(valueName(pendingValue) ?? "") ? FILE_NAMES : (pendingValue.argChoices ?? []);
  }
  const { cmd, positionals } = line;
  if (current.startsWith("-")) return flagsOf(cmd);
  const subcommands = visible(cmd);
  if (subcommands.length > 0 && positionals === 0) return subcommands.map((c) => c.name());
  const argument = argumentAt(cmd, positionals);
  if (argument === undefined) return [];
  const source = ARGUMENT_VALUES.get(argument.name());
  if (source) return source(sources, line);
  return PATH_NAMES.has(argument.name()) ? FILE_NAMES : (argument.argChoices ?? []);
}
