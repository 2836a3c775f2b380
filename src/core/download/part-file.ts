import { closeSync, fdatasync, ftruncateSync, lstatSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { promisify } from "node:util";
import * as z from "../../util/zod.js";
import { DownloadError } from "./download-error.js";
import {
  codeOf,
  createExclusiveFd,
  createReplacingFd,
  readRegular,
  removeName,
  writeAllSync,
} from "../../files/safe-file.js";

/**
 * `<file>.part.json` says whose bytes `<file>.part` holds and the server's ETag for them (sent back
 * as If-Range so a changed file restarts). Just before the finished part is renamed to its final
 * name, `final` records its size and hash: if the process dies between that rename and the
 * caller's own record of the download, the next download of the same task recognises the file as
 * its own instead of refusing to overwrite it. The meta is cleared once the caller has recorded it.
 */
const metaSchema = z.object({
  taskId: z.string(),
  etag: z.string().nullable(),
  final: z
    .object({ bytes: z.number().int().nonnegative(), sha256: z.string(), sourceUrl: z.string() })
    .optional(),
});
export type PartMeta = z.infer<typeof metaSchema>;

/** A meta file is a few hundred bytes; anything bigger is not ours. */
const MAX_META_BYTES = 16 * 1024;

export const metaPath = (part: string) => `${part}.json`;

export async function readPartMeta(part: string): Promise<PartMeta | undefined> {
  const raw = await readRegular(metaPath(part), MAX_META_BYTES);
  if (raw === undefined) return undefined;
  try {
    const parsed = metaSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The task whose bytes `<part>` holds, when its meta names one and the part is a plain file: a
 * paid video half-downloaded, which a download of any other task must not write over.
 */
export async function partTask(part: string): Promise<string | undefined> {
  const meta = await readPartMeta(part);
  if (meta === undefined) return undefined;
  return lstatSync(part, { throwIfNoEntry: false })?.isFile() === true ? meta.taskId : undefined;
}

export async function clearPartMeta(part: string): Promise<void> {
  await removeName(metaPath(part));
}

/**
 * The meta of a part this process is writing: whatever had the name (an old meta, a planted link)
 * is removed and a new file created exclusively, then rewritten in place through this handle,
 * which can only ever be that new file. Only the final record, which lets a later run adopt the
 * renamed video, is flushed: a lost first record only makes the next run start the part afresh.
 */
export class PartMetaFile {
  private written = 0;

  private constructor(private readonly fd: number) {}

  static async create(part: string, meta: PartMeta): Promise<PartMetaFile> {
    const made = new PartMetaFile(await createReplacingFd(metaPath(part)));
    try {
      made.write(meta);
    } catch (err) {
      made.close();
      throw err;
    }
    return made;
  }

  write(meta: PartMeta): void {
    const data = Buffer.from(JSON.stringify(meta));
    writeAllSync(this.fd, data, 0);
    // A shorter record must not leave the tail of the longer one behind it.
    if (data.length < this.written) ftruncateSync(this.fd, data.length);
    this.written = data.length;
  }

  /** The final record, on disk before the part is given its final name. */
  async seal(meta: PartMeta): Promise<void> {
    this.write(meta);
    await fdatasyncFd(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

const fdatasyncFd = promisify(fdatasync);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return codeOf(err) === "EPERM";
  }
}

/**
 * Two commands downloading to the same file would append to one `.part` at once. The lock holds
 * the owner's pid; one left by a process that died (kill -9, power cut) is taken over, and so is
 * anything at the lock's name that is not a plain file (removing a link never touches its target).
 */
export async function lockPart(part: string): Promise<() => Promise<void>> {
  const lock = `${part}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      let fd: number;
      try {
        fd = createExclusiveFd(lock);
      } catch (err) {
        // The folder is made on the first download into it, not checked before every one.
        if (codeOf(err) !== "ENOENT") throw err;
        await mkdir(dirname(part), { recursive: true });
        fd = createExclusiveFd(lock);
      }
      try {
        writeAllSync(fd, Buffer.from(String(process.pid)));
      } finally {
        closeSync(fd);
      }
      return () => removeName(lock);
    } catch (err) {
      if (codeOf(err) !== "EEXIST") throw err;
      const owner = Number(await readRegular(lock, 32));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new DownloadError(`another grokvid (pid ${owner}) is downloading to ${part}`, "final");
      }
      await rm(lock, { force: true });
    }
  }
  throw new DownloadError(`could not lock ${part}`, "final");
}
