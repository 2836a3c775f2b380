import {
  type BigIntStats,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  statSync,
  type Stats,
} from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { ConfigError } from "../util/errors.js";

/**
 * Every state file grokvid reads or appends to (the journal, claims, pacing stamps, the trust
 * store, keys.json, the user config file it rewrites) is opened here, because anything can sit
 * at its name: a FIFO blocks open(2) and read(2) in a way no signal interrupts, a link to
 * /dev/zero never ends, a folder makes a claim look held forever. So the name is opened without
 * blocking and without following a link, checked with fstat (the file itself, not its name) to be
 * a regular file, and read with a size bound; anything else is a ConfigError (exit 3) of one line
 * that names the file and what it is, before any of it is trusted, and before anything is sent.
 *
 * Synchronous: each call is an open, a stat and a read or two of a small file (or one chunk of
 * the journal), microseconds on the main thread, which the thread pool would only slow down.
 */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/** "a+" without its dangers: read and append, created when missing (0600 unless told). */
const APPEND = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT;
const FLAGS = { read: constants.O_RDONLY, append: APPEND } as const;
export type StateUse = keyof typeof FLAGS;

/**
 * Codes open(2) gives for a name that is not a regular file: ELOOP (Linux) or EMLINK (BSDs) for a
 * link under O_NOFOLLOW, EISDIR for a folder opened to write, ENXIO for a socket or a FIFO.
 */
const REFUSED = new Set(["ELOOP", "EMLINK", "EISDIR", "ENXIO", "EOPNOTSUPP"]);

function codeOf(err: unknown): string | undefined {
  return err && typeof err === "object" && "code" in err && typeof err.code === "string"
    ? err.code
    : undefined;
}

/** What a file is, in words, for one that is not a regular file. */
export function kindOf(info: Stats | BigIntStats): string {
  if (info.isFIFO()) return "a FIFO";
  if (info.isDirectory()) return "a directory";
  if (info.isSymbolicLink()) return "a symbolic link";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * The one-line refusal. `what` names the file's role ("the journal", "the claim"), so the user
 * knows what the path is for before moving it away.
 */
export function notRegular(path: string, what: string, kind: string): ConfigError {
  return new ConfigError(`${what} ${path} is ${kind}, not a regular file; move it away`);
}

/** An open refused by one of REFUSED: the name, looked at without following it, says why. */
function refusal(err: unknown, path: string, what: string): unknown {
  const code = codeOf(err);
  if (code === undefined || !REFUSED.has(code)) return err;
  let info: Stats | undefined;
  try {
    info = lstatSync(path);
  } catch {
    return err;
  }
  // ELOOP can also mean a loop of links in a folder on the way: then the name itself is fine.
  return info.isFile() ? err : notRegular(path, what, kindOf(info));
}

/**
 * Who else's a file is: undefined when it is the user's own (or root's: root can replace grokvid
 * itself), or the OS has no owners. A file of grokvid's that another user owns was planted.
 */
export function otherOwner(info: { uid: number | bigint }): number | undefined {
  const me = process.getuid?.();
  const uid = Number(info.uid);
  if (me === undefined || uid === me || uid === 0) return undefined;
  return uid;
}

/** The one-line refusal of a file another user owns. */
export function notOurs(path: string, what: string, uid: number): ConfigError {
  return new ConfigError(
    `${what} ${path} belongs to another user (uid ${uid}) and is not read; move it away`,
  );
}

function checked(fd: number, path: string, what: string): number {
  let info: Stats;
  try {
    info = fstatSync(fd);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  const owner = otherOwner(info);
  if (info.isFile() && owner === undefined) return fd;
  closeSync(fd);
  throw owner === undefined ? notRegular(path, what, kindOf(info)) : notOurs(path, what, owner);
}

/**
 * A descriptor of the regular file at `path`, or undefined when there is none (read only: append
 * creates it). Every other failure (EACCES, ENOTDIR...) is thrown as it came, for the caller's
 * own wording; the caller closes the descriptor.
 */
export function openStateFile(
  path: string,
  what: string,
  use: StateUse = "read",
  mode = 0o600,
): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, FLAGS[use] | NOFOLLOW | NONBLOCK, mode);
  } catch (err) {
    if (use === "read" && codeOf(err) === "ENOENT") return undefined;
    throw refusal(err, path, what);
  }
  return checked(fd, path, what);
}

/** openStateFile for a caller that needs a FileHandle (the journal's appender). */
export async function openStateHandle(
  path: string,
  what: string,
  use: StateUse,
  mode = 0o600,
): Promise<FileHandle> {
  // Only the journal's appender needs a FileHandle: a dry run or a TAB press loads no fs/promises.
  const { open } = await import("node:fs/promises");
  let handle: FileHandle;
  try {
    handle = await open(path, FLAGS[use] | NOFOLLOW | NONBLOCK, mode);
  } catch (err) {
    throw refusal(err, path, what);
  }
  const info = await handle.stat().catch(async (err: unknown) => {
    await handle.close();
    throw err;
  });
  const owner = otherOwner(info);
  if (info.isFile() && owner === undefined) return handle;
  await handle.close();
  throw owner === undefined ? notRegular(path, what, kindOf(info)) : notOurs(path, what, owner);
}

/**
 * The text of the small state file at `path`, or undefined when there is none. A file larger than
 * `maxBytes` is refused rather than cut: grokvid never writes one that large, so it is not ours.
 */
export function readStateFile(path: string, what: string, maxBytes: number): string | undefined {
  const fd = openStateFile(path, what);
  if (fd === undefined) return undefined;
  try {
    // One byte more than allowed tells "too large", also of a file that grew since fstat.
    let buffer = Buffer.alloc(Math.min(fstatSync(fd).size, maxBytes) + 1);
    let bytes = 0;
    for (let n: number; (n = readSync(fd, buffer, bytes, buffer.length - bytes, bytes)) > 0;) {
      bytes += n;
      if (bytes > maxBytes)
        throw new ConfigError(
          `${what} ${path} is larger than grokvid ever writes (${maxBytes} bytes); move it away`,
        );
      if (bytes === buffer.length)
        buffer = Buffer.concat([buffer, Buffer.alloc(Math.min(buffer.length, maxBytes + 1 - buffer.length))]);
    }
    return buffer.toString("utf8", 0, bytes);
  } finally {
    closeSync(fd);
  }
}

/**
 * For a name grokvid does not read but creates, links or removes beside its state (a claim's
 * break lock): undefined when missing, else a refusal unless it is a regular file.
 */
export function checkStateName(path: string, what: string): void {
  let info: Stats;
  try {
    info = lstatSync(path);
  } catch (err) {
    if (codeOf(err) === "ENOENT") return;
    throw err;
  }
  if (!info.isFile()) throw notRegular(path, what, kindOf(info));
}

/**
 * For a file the user keeps by hand and may link from elsewhere (a dotfiles repository), which a
 * library reads by following links (cosmiconfig): the link is followed, but what it leads to must
 * be a regular file of a sane size, or every command would hang on it (a FIFO) or read forever.
 */
export function checkLinkedFile(path: string, what: string, maxBytes: number): void {
  let info: Stats;
  try {
    info = statSync(path);
  } catch (err) {
    // Missing, a link to nothing, or no folder there: the reader finds no file, as before.
    if (codeOf(err) === "ENOENT" || codeOf(err) === "ENOTDIR") return;
    throw err;
  }
  if (!info.isFile()) throw notRegular(path, what, kindOf(info));
  if (info.size > maxBytes)
    throw new ConfigError(`${what} ${path} is larger than ${maxBytes} bytes; move it away`);
}
