import type { Command } from "commander";
import { completeWords } from "../cli/completion/candidates.js";
import { createClient } from "../index.js";
import type { CommandRuntime } from "./cli-output.js";
import { trackClient } from "./open-clients.js";

/** The value of `--config PATH` or `--config=PATH` typed on the line so far. */
function configOnLine(words: readonly string[]): string | undefined {
  const at = words.lastIndexOf("--config");
  if (at !== -1 && at < words.length - 2) return words[at + 1];
  return words.findLast((w) => w.startsWith("--config="))?.slice("--config=".length);
}

/**
 * `grokvid __complete WORDS...`, called by the completion scripts on each TAB: the candidates for
 * the last word, one per line. Never a network request, and nothing on stderr: it draws over the
 * user's prompt (the client gets no reporter).
 */
export async function runComplete(
  words: readonly string[],
  program: Command,
  runtime: CommandRuntime,
): Promise<void> {
  const config = configOnLine(words);
  const client = trackClient(
    runtime,
    createClient({
      env: runtime.env,
      cwd: runtime.cwd,
      signal: runtime.signal,
      ...(config === undefined ? {} : { config }),
    }),
  );
  const candidates = await completeWords(program, words, await client.setup.completionSources());
  if (candidates.length > 0) runtime.stdout.write(`${candidates.join("\n")}\n`);
}
