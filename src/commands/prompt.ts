import { UsageError } from "../util/errors.js";
import { whyUnreadable } from "../util/file-errors.js";
import { readStdinText } from "./stdin.js";

/** node:fs/promises is loaded only here: a --prompt needs none of it. */
async function readPromptFile(path: string): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  return readFile(path, "utf8").catch((err: unknown) => {
    throw new UsageError(`--prompt-file ${path}: cannot read the file (${whyUnreadable(err)})`);
  });
}

/**
 * Exactly one of --prompt and --prompt-file; `-` reads standard input (for heredocs and pipes).
 * Standard input is asked for only then: opening process.stdin costs a start-up ~5 ms.
 */
export async function readPrompt(
  flags: { prompt?: string; promptFile?: string },
  input: { readonly stdin: NodeJS.ReadableStream },
): Promise<string> {
  if (flags.prompt !== undefined && flags.promptFile !== undefined) {
    throw new UsageError("pass either --prompt or --prompt-file, not both");
  }
  if (flags.promptFile === undefined) {
    if (flags.prompt === undefined) throw new UsageError("--prompt (or --prompt-file) is required");
    return flags.prompt;
  }
  const path = flags.promptFile;
  const text = path === "-" ? await readStdinText(input.stdin) : await readPromptFile(path);
  return text.replace(/\r?\n$/, "");
}
