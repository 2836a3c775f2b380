import { ConfigError } from "../../util/errors.js";

/** How a refusal of the journal's file names it (state-file.ts): "the journal /x/journal.jsonl is a FIFO...". */
export const JOURNAL_ROLE = "the journal";

export function errnoOf(err: unknown): string | undefined {
  const code = err && typeof err === "object" && "code" in err ? err.code : undefined;
  return typeof code === "string" ? code : undefined;
}

/**
 * A journal the file system refuses (GROKVID_HOME a file, a symlink loop, no permission, a full
 * disk) is a setup problem with a one-line reason (exit 3), never an "internal error".
 */
export function journalError(err: unknown, path: string, action: "read" | "write"): unknown {
  const code = errnoOf(err);
  if (code === undefined) return err;
  return new ConfigError(`cannot ${action} the job journal ${path} (${code})`, {
    hint: "set GROKVID_HOME to a folder you can write",
    cause: err,
  });
}
