import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { join } from "node:path";
import { ExitCode, type ExitCodeValue, GrokvidError } from "../../util/errors.js";
import { plural } from "../../util/format.js";
import { journalError } from "../journal/journal-error.js";
import { parseEventLine } from "../journal/events.js";
import { JOURNAL_FILE } from "../journal/file-name.js";
import { EVERY_LINE, scanLines } from "../journal/scan.js";
import { SCHEMA_VERSION } from "../journal/pg/schema.js";
import type { SharedJournal } from "../../config/journal-setting.js";

/** One line of `grokvid doctor`: what was checked, whether it passed, and the exit code if not. */
export interface DoctorCheck {
  name: string;
  ok: boolean;
  /** 0 when ok; otherwise the code the failure would exit with anywhere else (4: key rejected). */
  exitCode: ExitCodeValue;
  detail: string;
}

export const pass = (name: string, detail: string): DoctorCheck => ({ name, ok: true, exitCode: 0, detail });
export const fail = (name: string, detail: string, exitCode: ExitCodeValue): DoctorCheck => ({
  name,
  ok: false,
  exitCode,
  detail,
});

/** A thrown error as a failed line, with the exit code it carries. */
export function failFrom(name: string, err: unknown): DoctorCheck {
  if (err instanceof GrokvidError) return fail(name, err.message, err.exitCode);
  return fail(name, err instanceof Error ? err.message : String(err), ExitCode.internal);
}

const MIN_NODE = [20, 18] as const;

export function checkNode(version: string = process.versions.node): DoctorCheck {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return ok
    ? pass("node", version)
    : fail("node", `${version}; grokvid needs ${MIN_NODE.join(".")} or newer`, ExitCode.config);
}

/**
 * The journal's folder is writable, and how many of its lines every other command skips: torn
 * ones and valid JSON that is not a journal event alike (parseEventLine is their rule too). Read
 * in chunks through the journal's own scan, so a large journal costs flat memory and a FIFO or a
 * link at its name is a failed line (exit 3), not a hang.
 */
export async function checkJournal(home: string): Promise<DoctorCheck> {
  const path = join(home, JOURNAL_FILE);
  let lines = 0;
  let damaged = 0;
  const count = (line: string) => {
    if (line.trim() === "") return;
    lines++;
    if (!parseEventLine(line)) damaged++;
  };
  let size: number | undefined;
  try {
    size = scanLines(path, EVERY_LINE, count, count);
  } catch (err) {
    return failFrom("journal", journalError(err, path, "read"));
  }
  const writable = await access(size === undefined ? home : path, constants.W_OK).then(
    () => true,
    () => false,
  );
  if (size === undefined) {
    // A missing folder is made on the first job; only an existing one that refuses writes fails.
    const homeExists = await stat(home).then(
      () => true,
      () => false,
    );
    return homeExists && !writable
      ? fail("journal", `${path}: the folder is not writable`, ExitCode.config)
      : pass("journal", `${path} (no jobs yet)`);
  }
  if (!writable) return fail("journal", `${path} is not writable`, ExitCode.config);
  const summary = `${size.toLocaleString("en-US")} bytes, ${lines} lines`;
  // A damaged line is skipped with a warning everywhere: worth knowing, not a failure.
  return pass(
    "journal",
    `${path} (${summary}${damaged ? `, ${plural(damaged, "damaged line")} skipped` : ""})`,
  );
}

/**
 * The shared journal, when one is set: reachable with its user and password, its schema at a
 * version this grokvid knows (made now if the database was empty), and the round trip every
 * journal write pays. A failure is one line with exit 3, naming the database, never the password.
 */
export async function checkSharedJournal(
  shared: SharedJournal,
  home: string,
  warn: (message: string) => void,
): Promise<DoctorCheck> {
  const { PgJournal } = await import("../journal/pg/pg-journal.js");
  const journal = new PgJournal(shared, home, warn);
  try {
    const { versionFound, roundTripMs, records } = await journal.health();
    const schema =
      versionFound === SCHEMA_VERSION
        ? `schema version ${SCHEMA_VERSION}`
        : `schema version ${SCHEMA_VERSION} (was ${versionFound === 0 ? "empty" : versionFound}: migrated now)`;
    return pass(
      "journal",
      `postgres ${shared.display}: ${schema}, ${roundTripMs.toFixed(1)} ms round trip, ${plural(records, "record")}`,
    );
  } catch (err) {
    return failFrom("journal", err);
  } finally {
    await journal.close().catch(() => undefined);
  }
}

/** How far this machine's clock is from the gateway's Date header, in seconds. */
export function checkClock(name: string, dateHeader: string | undefined, nowMs: number): DoctorCheck {
  const at = dateHeader === undefined ? NaN : Date.parse(dateHeader);
  if (Number.isNaN(at)) return pass(`${name} clock`, "no Date header to compare with");
  const skew = Math.round((nowMs - at) / 1000);
  const text = `${Math.abs(skew)} s ${skew >= 0 ? "ahead of" : "behind"} ${name}`;
  // Signed URLs and request timestamps break past a few minutes of skew.
  return Math.abs(skew) <= 300
    ? pass(`${name} clock`, text)
    : fail(`${name} clock`, `${text}; set the system clock (NTP)`, ExitCode.config);
}
