import { hostname, userInfo } from "node:os";
import { ConfigError } from "../util/errors.js";
import { parseDuration } from "../util/duration.js";
import { registerSecret, safeDecode, urlPassword, urlSecrets } from "../util/redact.js";
import type { Env } from "../util/env.js";
import type { GrokvidConfig } from "./schema.js";

export { safeDecode, urlPassword };

/** How long a worker's hold on a job lasts without a heartbeat before another may take it over. */
export const DEFAULT_LEASE_MS = 30_000;
/** Shorter leases make a heartbeat every few hundred milliseconds: more load than they save. */
export const MIN_LEASE_MS = 1000;

/** The shared journal grokvid is told to use; none means the JSONL file in GROKVID_HOME. */
export interface SharedJournal {
  /** The connection URL as given (it may hold a password: never print it). */
  url: string;
  /** The database as messages name it: user@host:port/name, never the password. */
  display: string;
  /** Where it was set, for messages: "GROKVID_JOURNAL_URL" or "journal.url in <file>". */
  source: string;
  leaseMs: number;
  /** This machine's name in the journal: GROKVID_HOST, else the hostname (each machine its own). */
  host: string;
  /** The user as the server sees it, for messages: the URL's, else PGUSER, else this account's. */
  user: string;
}

/** The URL, checked: a postgres:// or postgresql:// URL with a host. Messages never quote it. */
export function parseJournalUrl(text: string, source: string): { url: string; display: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ConfigError(`${source} is not a URL; expected postgres://user@host:port/database`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
    throw new ConfigError(`${source} is not a postgres:// URL; expected postgres://user@host:port/database`);
  if (url.hostname === "")
    throw new ConfigError(`${source} names no host; expected postgres://user@host:port/database`);
  const user = url.username === "" ? "" : `${safeDecode(url.username)}@`;
  const database = url.pathname.replace(/^\//, "");
  const display = `${user}${url.host}${database === "" ? "" : `/${safeDecode(database)}`}`;
  return { url: text.trim(), display };
}

/**
 * GROKVID_JOURNAL_URL, else `journal.url` in the config; undefined: the file journal. The
 * password, if any, is registered as a secret at once, so no later message can show it.
 */
export function resolveSharedJournal(
  env: Env,
  config: GrokvidConfig,
  configFile?: string,
): SharedJournal | undefined {
  const fromEnv = env.GROKVID_JOURNAL_URL?.trim();
  const text = fromEnv || config.journal?.url;
  if (text === undefined || text === "") return undefined;
  for (const secret of urlSecrets(text)) registerSecret(secret);
  const source = fromEnv ? "GROKVID_JOURNAL_URL" : `journal.url in ${configFile ?? "the config"}`;
  const { url, display } = parseJournalUrl(text, source);
  const leaseText: string | number | undefined = env.GROKVID_JOURNAL_LEASE?.trim() || config.journal?.lease;
  let leaseMs = DEFAULT_LEASE_MS;
  if (leaseText !== undefined && leaseText !== "") {
    const parsed = parseDuration(leaseText);
    const where = env.GROKVID_JOURNAL_LEASE?.trim() ? "GROKVID_JOURNAL_LEASE" : "journal.lease";
    if (parsed === undefined || parsed < MIN_LEASE_MS)
      throw new ConfigError(`${where} must be a duration of at least 1s, such as 30s or 2m`);
    leaseMs = parsed;
  }
  const named = env.GROKVID_HOST?.trim();
  if (named !== undefined && named !== "" && !/^[\w.-]{1,64}$/.test(named))
    throw new ConfigError(
      "GROKVID_HOST must be a machine name: letters, digits, '.', '-' or '_', at most 64",
    );
  const user = safeDecode(new URL(url).username) || env.PGUSER?.trim() || userInfo().username;
  return { url, display, source, leaseMs, host: named || hostname(), user };
}
