import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { type FileHandle, link, lstat, open, rename, rm, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { UsageError } from "../errors.js";

/**
 * Every file grokvid writes goes through here, because the folder it writes into may hold names
 * planted by someone else (a symlink at `clip.mp4.part` pointing at ~/.bashrc). New files are
 * created with O_EXCL, which never follows a link, plus O_NOFOLLOW where the OS has it (not
 * Windows); replacing a file is a rename of a fresh temp file, which replaces a link itself, never
 * what it points at.
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
  await unlink(path).catch((err: unknown) => {
    if (codeOf(err) !== "ENOENT") throw err;
  });
}

/** createExclusive, first removing whatever has the name (an old file, a planted link). */
export async function createReplacing(path: string, mode?: number): Promise<FileHandle> {
  try {
    return await createExclusive(path, mode);
  } catch (err) {
    if (codeOf(err) !== "EEXIST") throw err;
    await rm(path, { force: true });
    return createExclusive(path, mode);
  }
}

/**
 * An existing plain file, for reading or for appending, or undefined when the name is missing, a
 * link, a FIFO or device (O_NONBLOCK so opening one cannot hang), or a file with a second name (a
 * hard link planted to make us write into someone else's file).
 */
export async function openRegular(path: string, use: "read" | "append"): Promise<FileHandle | undefined> {
  const access = use === "append" ? constants.O_RDWR | constants.O_APPEND : constants.O_RDONLY;
  let file: FileHandle;
  try {
    file = await open(path, access | NOFOLLOW | NONBLOCK);
  } catch (err) {
    // ELOOP is Linux's answer to O_NOFOLLOW on a link, EMLINK the BSDs'; ENXIO a FIFO without reader.
    if (["ENOENT", "ELOOP", "EMLINK", "ENXIO", "EISDIR", "ENOTDIR"].includes(codeOf(err) ?? ""))
      return undefined;
    throw err;
  }
  const info = await file.stat();
  if (info.isFile() && info.nlink === 1) return file;
  await file.close();
  return undefined;
}

/** A small file grokvid wrote itself (part meta, lock), or undefined when it is not a plain file. */
export async function readRegular(path: string, maxBytes: number): Promise<string | undefined> {
  const file = await openRegular(path, "read");
  if (!file) return undefined;
  try {
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await file.read(buffer, 0, maxBytes, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await file.close();
  }
}

/**
 * Moves a finished file to its name. With force a rename replaces whatever is there; without, a
 * hard link creates the name only if it is free (atomic, unlike a check then a rename), falling
 * back to check-then-rename on file systems without hard links.
 */
export async function commitFile(from: string, to: string, force: boolean): Promise<void> {
  if (force) {
    await rename(from, to);
    return;
  }
  try {
    await link(from, to);
  } catch (err) {
    const code = codeOf(err);
    if (code === "EEXIST") throw alreadyExists(to);
    if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV"].includes(code ?? "")) throw err;
    if (await lstat(to).catch(() => undefined)) throw alreadyExists(to);
    await rename(from, to);
    return;
  }
  await unlink(from);
}

/** Writes `data` to a fresh temp file beside `path`, flushes it, then commits it (see commitFile). */
export async function writeFileAtomic(
  path: string,
  data: string | Buffer,
  opts: { force: boolean; mode?: number },
): Promise<void> {
  const temp = tempName(path);
  const file = await createExclusive(temp, opts.mode);
  try {
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await commitFile(temp, path, opts.force);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
