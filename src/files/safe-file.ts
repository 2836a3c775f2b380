import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fstatSync,
  fsync,
  linkSync,
  lstatSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { type FileHandle, open, rm } from "node:fs/promises";
import { promisify } from "node:util";
import { dirname, join } from "node:path";
import { UsageError } from "../util/errors.js";

/**
 * Every file grokvid writes goes through here, because the folder it writes into may hold names
 * planted by someone else (a symlink at `clip.mp4.part` pointing at ~/.bashrc). New files are
 * created with O_EXCL, which never follows a link, plus O_NOFOLLOW where the OS has it (not
 * Windows); replacing a file is a rename of a fresh temp file, which replaces a link itself, never
 * what it points at.
 *
 * The small steps (open, a few hundred bytes, link, rename, unlink) are synchronous: each takes
 * microseconds on the main thread, while the same call through the thread pool costs several
 * thread wake-ups, which in a 1000-job batch is most of the client's CPU time. Only fsync, which
 * waits for the disk, goes to the pool.
 */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/** Temp names are short and fixed-length so they never push a long file name past the OS limit. */
const tempName = (target: string) => join(dirname(target), `.grokvid-${randomBytes(6).toString("hex")}.tmp`);

export function codeOf(err: unknown): string | undefined {
  return err && typeof err === "object" && "code" in err && typeof err.code === "string"
    ? err.code
    : undefined;
}

export function alreadyExists(path: string): UsageError {
  return new UsageError(`${path} already exists; pass --force to overwrite it`);
}

/** A new file for writing; fails with EEXIST when anything (a link included) has the name. */
export function createExclusive(path: string, mode = 0o666): Promise<FileHandle> {
  return open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, mode);
}

/** Removes a name (never what a link points at); a name already gone is fine. */
export async function removeName(path: string): Promise<void> {
  try {
    unlinkSync(path);
  } catch (err) {
    if (codeOf(err) !== "ENOENT") throw err;
  }
}

/** Writes all of `data` (at `position`, else at the file's offset): a short write goes on. */
export function writeAllSync(fd: number, data: Buffer, position?: number): void {
  for (let done = 0; done < data.length;) {
    const at = position === undefined ? null : position + done;
    done += writeSync(fd, data, done, data.length - done, at);
  }
}

const fsyncFd = promisify(fsync);

/** createExclusive for a small file written with synchronous calls: a file descriptor. */
export function createExclusiveFd(path: string, mode = 0o666): number {
  return openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, mode);
}

/** createExclusive, first removing whatever has the name (an old file, a planted link). */
export async function createReplacing(path: string, mode?: number): Promise<FileHandle> {
  try {
    return await createExclusive(path, mode);
  } catch (err) {
    if (codeOf(err) !== "EEXIST") throw err;
    await removeName(path);
    return createExclusive(path, mode);
  }
}

/** createReplacing for a small file written with synchronous calls: a file descriptor. */
export async function createReplacingFd(path: string, mode?: number): Promise<number> {
  try {
    return createExclusiveFd(path, mode);
  } catch (err) {
    if (codeOf(err) !== "EEXIST") throw err;
    await removeName(path);
    return createExclusiveFd(path, mode);
  }
}

/** ELOOP is Linux's answer to O_NOFOLLOW on a link, EMLINK the BSDs'; ENXIO a FIFO without reader. */
const NOT_A_PLAIN_FILE = new Set(["ENOENT", "ELOOP", "EMLINK", "ENXIO", "EISDIR", "ENOTDIR"]);
const OPEN_PLAIN = NOFOLLOW | NONBLOCK;

/** A file grokvid may use as its own: a plain file with no second name (a hard link planted). */
const isPlainFile = (info: { isFile(): boolean; nlink: number }) => info.isFile() && info.nlink === 1;

/**
 * An existing plain file, for reading or for appending, or undefined when the name is missing, a
 * link, a FIFO or device (O_NONBLOCK so opening one cannot hang), or a file with a second name (a
 * hard link planted to make us write into someone else's file).
 */
export async function openRegular(path: string, use: "read" | "append"): Promise<FileHandle | undefined> {
  const access = use === "append" ? constants.O_RDWR | constants.O_APPEND : constants.O_RDONLY;
  let file: FileHandle;
  try {
    file = await open(path, access | OPEN_PLAIN);
  } catch (err) {
    if (NOT_A_PLAIN_FILE.has(codeOf(err) ?? "")) return undefined;
    throw err;
  }
  if (isPlainFile(await file.stat())) return file;
  await file.close();
  return undefined;
}

/** openRegular by descriptor, with synchronous calls: undefined in the same cases. */
export function openRegularFd(path: string, use: "read" | "append"): number | undefined {
  const access = use === "append" ? constants.O_RDWR | constants.O_APPEND : constants.O_RDONLY;
  let fd: number;
  try {
    fd = openSync(path, access | OPEN_PLAIN);
  } catch (err) {
    if (NOT_A_PLAIN_FILE.has(codeOf(err) ?? "")) return undefined;
    throw err;
  }
  if (isPlainFile(fstatSync(fd))) return fd;
  closeSync(fd);
  return undefined;
}

/**
 * A small file grokvid wrote itself (part meta, lock), or undefined when it is not a plain file.
 * `links` accepts a file with several names: a lock, which is a hard link of its owner's file and
 * is only ever read, never written through.
 */
export async function readRegular(
  path: string,
  maxBytes: number,
  { links = false } = {},
): Promise<string | undefined> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | OPEN_PLAIN);
  } catch (err) {
    if (NOT_A_PLAIN_FILE.has(codeOf(err) ?? "")) return undefined;
    throw err;
  }
  try {
    const info = fstatSync(fd);
    if (links ? !info.isFile() : !isPlainFile(info)) return undefined;
    const buffer = Buffer.alloc(maxBytes);
    const bytesRead = readSync(fd, buffer, 0, maxBytes, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * Moves a finished file to its name. With force a rename replaces whatever is there; without, a
 * hard link creates the name only if it is free (atomic, unlike a check then a rename), falling
 * back to check-then-rename on file systems without hard links.
 */
export async function commitFile(from: string, to: string, force: boolean): Promise<void> {
  if (force) {
    renameSync(from, to);
    return;
  }
  try {
    linkSync(from, to);
  } catch (err) {
    const code = codeOf(err);
    if (code === "EEXIST") throw alreadyExists(to);
    if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV"].includes(code ?? "")) throw err;
    if (exists(to)) throw alreadyExists(to);
    renameSync(from, to);
    return;
  }
  unlinkSync(from);
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes `data` to a fresh temp file beside `path`, flushes it, then commits it (see commitFile). */
export async function writeFileAtomic(
  path: string,
  data: string | Buffer,
  opts: { force: boolean; mode?: number },
): Promise<void> {
  const temp = tempName(path);
  const fd = createExclusiveFd(temp, opts.mode);
  try {
    try {
      writeFileSync(fd, data);
      await fsyncFd(fd);
    } finally {
      closeSync(fd);
    }
    await commitFile(temp, path, opts.force);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
