import { spawn } from "node:child_process";

type Command = [string, string[]];

/** Words of one command, split at blanks; double or single quotes keep a path with spaces whole. */
function splitWords(command: string): string[] {
  const words: string[] = [];
  for (const match of command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    words.push(match[1] ?? match[2] ?? match[3] ?? "");
  }
  return words;
}

/** The page where the command says %s (%% is a literal %), else appended. */
function withPage(words: string[], path: string): string[] {
  const hasSlot = words.some((word) => /(^|[^%])(%%)*%s/.test(word));
  const filled = words.map((word) => word.replace(/%(%|s)/g, (_, c: string) => (c === "%" ? "%" : path)));
  return hasSlot ? filled : [...filled, path];
}

/**
 * The programs that may show a file the way a double-click would, in the order to try them.
 * $BROWSER first, read as the convention has it (Python's webbrowser, xdg-utils): a list of
 * commands separated like PATH, each with %s for the page or the page appended. Else the
 * platform's own opener.
 */
export function chooseOpeners(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): Command[] {
  const separator = platform === "win32" ? ";" : ":";
  const listed = (env.BROWSER ?? "")
    .split(separator)
    .map(splitWords)
    .filter((words) => words.length > 0)
    .map((words): Command => {
      const [program = "", ...args] = withPage(words, path);
      return [program, args];
    });
  if (listed.length > 0) return listed;
  if (platform === "darwin") return [["open", [path]]];
  // `start` is a cmd built-in; its first quoted argument is a window title, hence the empty one.
  if (platform === "win32") return [["cmd", ["/c", "start", '""', path]]];
  return [["xdg-open", [path]]];
}

/** Starts one opener detached; resolves to why it could not start, or undefined. */
function start(
  [command, args]: Command,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  return new Promise((done) => {
    // No shell: a page's path or a $BROWSER word is never interpreted as shell syntax.
    const child = spawn(command, args, { detached: true, stdio: "ignore", env: { ...process.env, ...env } });
    child.once("error", (err: NodeJS.ErrnoException) =>
      done(`${command} could not be started (${err.code ?? err.message})`),
    );
    child.once("spawn", () => {
      child.unref();
      done(undefined);
    });
  });
}

/**
 * Starts the first opener that can be started, detached, so grokvid exits at once and the browser
 * outlives it. Resolves to why none could (not installed, no display), never rejects.
 */
export async function openPath(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  const problems: string[] = [];
  for (const opener of chooseOpeners(path, env)) {
    const problem = await start(opener, env);
    if (problem === undefined) return undefined;
    problems.push(problem);
  }
  return problems.join("; ");
}
