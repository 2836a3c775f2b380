import { closeSync, fdatasync, fstatSync, fsync, ftruncateSync, lstatSync, mkdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname } from "node:path";
import { promisify } from "node:util";
import * as z from "../../util/zod.js";
import { DownloadError } from "./download-error.js";
import { isAlive, MAX_OWNER_BYTES, OwnerFile, parseOwner } from "../../files/claim-owner.js";
import {
  commitFile,
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
  private closed = false;

  private constructor(
    private readonly fd: number,
    private readonly path: string,
  ) {}

  static async create(part: string, meta: PartMeta): Promise<PartMetaFile> {
    const path = metaPath(part);
    const made = new PartMetaFile(await createReplacingFd(path), path);
    try {
      made.write(meta);
    } catch (err) {
      made.close();
      throw err;
    }
    return made;
  }

  write(meta: PartMeta): void {
    this.writeText(JSON.stringify(meta));
  }

  private writeText(text: string): void {
    const data = Buffer.from(text);
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

  /**
   * Once the caller has recorded the download, the meta has served, and its own file becomes
   * `path` (a batch video's .json sidecar): `text` is written through this handle, flushed, and
   * the file given that name as writeFileAtomic gives a temp file (never replacing a file there
   * without force), which removes the meta's name. The download thus creates no further file: on
   * ext4, each new file is paid for by scanning past the inodes deleted in the last seconds (a
   * batch's share of its CPU time grows with the files it creates). Whatever goes wrong, the
   * meta's name is gone, as clearPartMeta would leave it. False, touching nothing, when the meta's
   * name no longer holds this file: then the caller clears the name and writes `path` anew.
   */
  async becomeFile(path: string, text: string, force: boolean): Promise<boolean> {
    const mine = fstatSync(this.fd);
    const named = lstatSync(this.path, { throwIfNoEntry: false });
    if (named?.ino !== mine.ino || named.dev !== mine.dev) {
      this.close();
      return false;
    }
    try {
      this.writeText(text);
      await fsyncFd(this.fd);
      this.close();
      await commitFile(this.path, path, force);
      return true;
    } catch (err) {
      this.close();
      await removeName(this.path);
      throw err;
    }
  }

  /** Closes the descriptor once; later calls do nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

const fdatasyncFd = promisify(fdatasync);
const fsyncFd = promisify(fsync);

/** Each folder's owner file, whose hard links are the locks this process holds there. */
const owners = new Map<string, OwnerFile>();

/**
 * Two commands downloading to the same file would append to one `.part` at once. The lock is a
 * hard link of this process's owner file in the folder (claim-owner.ts): taking it is one link(2),
 * which creates no file, so a batch does not create and delete one more file per video (on ext4,
 * creating files among many just deleted is what a batch's kernel time went to). It names the
 * owner's pid and start time; one left by a process that died (kill -9, power cut) is taken over,
 * and so is anything at the lock's name that is not a plain file (removing a link never touches
 * its target). A lock written by an older grokvid (its pid alone) is read the same way.
 */
export async function lockPart(part: string): Promise<() => Promise<void>> {
  const lock = `${part}.lock`;
  const folder = dirname(part);
  // The folder is made on the first download into it, with the user's usual permissions (the owner
  // file would make a missing one private); one mkdir(2), which creates nothing when it exists.
  mkdirSync(folder, { recursive: true });
  let owner = owners.get(folder);
  if (!owner) owners.set(folder, (owner = new OwnerFile(folder)));
  for (let attempt = 0; attempt < 2; attempt++) {
    const linked = await owner.linkTo(lock);
    if (linked) return () => owner.unlinkIfMine(lock, linked);
    const holder = parseOwner((await readRegular(lock, MAX_OWNER_BYTES, { links: true })) ?? "");
    if (holder && holder.pid !== process.pid && isAlive(holder)) {
      throw new DownloadError(`another grokvid (pid ${holder.pid}) is downloading to ${part}`, "final");
    }
    await rm(lock, { force: true });
  }
  throw new DownloadError(`could not lock ${part}`, "final");
}
