import { ConfigError, GrokvidError } from "../../../util/errors.js";
import { redact } from "../../../util/redact.js";
import { errnoOf } from "../journal-error.js";

/** Errors that say the server is out of reach (not that it refused): a later try may work. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  // A statement cancelled for taking too long (statement_timeout): the server is not keeping up.
  "57014",
  // The server is shutting down, or restarting: connections are being cut.
  "57P01",
  "57P02",
  "57P03",
]);

/** pg's own words for a connection it lost or never made, which carry no code. */
const LOST =
  /Connection terminated|timeout expired|Query read timeout|Client has encountered a connection error|not queryable/i;

/** The database is out of reach: what was not written may go to the local file until it is back. */
export class JournalUnreachableError extends ConfigError {}

/** Whether the database could not be reached (as opposed to refusing what was asked). */
export function isUnreachable(err: unknown): boolean {
  if (err instanceof GrokvidError) return false;
  const code = errnoOf(err);
  if (code !== undefined && UNREACHABLE.has(code)) return true;
  if (err instanceof AggregateError) return err.errors.some(isUnreachable);
  return err instanceof Error && LOST.test(err.message);
}

/**
 * Any failure of the shared journal as one line (exit 3) naming the database as user@host/name,
 * never the password: unreachable, a wrong password, a missing database, no permission.
 */
export function journalDbError(err: unknown, where: string, user: string): unknown {
  if (err instanceof GrokvidError) return err;
  const code = errnoOf(err);
  const reason = err instanceof Error ? redact(err.message) : String(err);
  if (isUnreachable(err))
    return new JournalUnreachableError(`cannot reach the shared journal ${where} (${code ?? reason})`, {
      hint: "check that the database is up and GROKVID_JOURNAL_URL (or journal.url) names it",
      cause: err,
    });
  if (code === "28P01" || code === "28000")
    return new ConfigError(`the shared journal ${where} refused user ${user}: ${reason}`, {
      hint: "check the user and password in GROKVID_JOURNAL_URL, ~/.pgpass or PGPASSWORD",
      cause: err,
    });
  if (code === "3D000")
    return new ConfigError(`the shared journal ${where} does not exist (${reason})`, {
      hint: "create the database first (createdb), or name one that exists",
      cause: err,
    });
  if (code === "42501")
    return new ConfigError(`user ${user} may not use the shared journal ${where}: ${reason}`, {
      hint: "grant it CREATE on the schema (once, to make grokvid's tables) and use of grokvid_* tables",
      cause: err,
    });
  return new ConfigError(`the shared journal ${where} failed: ${reason}${code ? ` (${code})` : ""}`, {
    cause: err,
  });
}
