import { resolveSharedJournal } from "../../config/journal-setting.js";
import { resolveHome } from "../../config/resolve.js";
import type { GrokvidConfig } from "../../config/schema.js";
import type { Env } from "../../util/env.js";
import { FileJournal } from "./file-journal.js";
import type { Journal } from "./journal.js";

/**
 * The journal this configuration names: PostgreSQL when GROKVID_JOURNAL_URL or `journal.url` is
 * set (its code, and `pg`, loaded only then), else the JSONL file in GROKVID_HOME. Nothing is
 * connected yet: the first read or write does that, and fails with exit 3 naming the database.
 */
export async function openJournal(
  env: Env,
  config: GrokvidConfig,
  onWarning: (message: string) => void,
): Promise<Journal> {
  const home = resolveHome(env);
  const shared = resolveSharedJournal(env, config);
  if (shared === undefined) return new FileJournal(home, onWarning);
  const { PgJournal } = await import("./pg/pg-journal.js");
  return new PgJournal(shared, home, onWarning);
}
