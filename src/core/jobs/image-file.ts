import { constants } from "node:fs";
import type * as FsPromises from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError } from "../../util/errors.js";
import { isInside } from "../../util/paths.js";

/** new-api forks cap reference uploads at 20 MB; larger inline images are refused by gateways anyway. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

const startsWith = (b: Uint8Array, head: readonly number[]) => head.every((byte, i) => b[i] === byte);

const signatures: ReadonlyArray<{ mime: string; test: (b: Uint8Array) => boolean }> = [
  // Whole signatures: a text file that merely starts with "GIF" or "\x89PNG" is no image.
  { mime: "image/png", test: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { mime: "image/jpeg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    mime: "image/gif",
    test: (b) => ["GIF87a", "GIF89a"].includes(Buffer.from(b.subarray(0, 6)).toString("latin1")),
  },
  {
    mime: "image/webp",
    test: (b) =>
      Buffer.from(b.subarray(0, 4)).toString() === "RIFF" &&
      Buffer.from(b.subarray(8, 12)).toString() === "WEBP",
  },
];

/** The type comes from the bytes, not the file name: gateways sniff too and reject mislabelled files. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  return signatures.find((s) => s.test(bytes))?.mime;
}

/** Which local files a client may read as images. */
export interface FileAccess {
  /** Relative paths are read from here (a library client's `cwd`, not wherever the process is). */
  cwd: string;
  /**
   * Folders local images may be read from, by their real paths: a file is read only when it
   * really lies inside one (never through a link that leads out), and an empty list refuses every
   * local file. Absent: any file the process can read, as on the command line.
   */
  allowRead?: readonly string[] | undefined;
}

/** A FIFO or a device opens without blocking; the type is checked on what was opened. */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** A local image, read whole after its size and then its first bytes were checked. */
export async function readImageFile(
  path: string,
  flag: string,
  access: FileAccess,
): Promise<{ data: Uint8Array; mime: string }> {
  // Loaded only here: a create without a local image never needs node:fs/promises.
  const fs = await import("node:fs/promises");
  const full = resolve(access.cwd, path);
  const handle =
    access.allowRead === undefined
      ? await fs.open(full, READ_FLAGS).catch(() => undefined)
      : await openFenced(fs, full, `${flag} ${path}`, access.allowRead, access.cwd);
  if (!handle) throw new UsageError(`${flag} ${path}: no such file`);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new UsageError(`${flag} ${path}: no such file`);
    if (info.size > MAX_IMAGE_BYTES) {
      throw new UsageError(`${flag} ${path}: ${info.size} bytes is over the ${MAX_IMAGE_BYTES}-byte limit`);
    }
    const data = await readAtMost(handle, MAX_IMAGE_BYTES);
    if (data === undefined) {
      throw new UsageError(`${flag} ${path}: over the ${MAX_IMAGE_BYTES}-byte limit (it grew while read)`);
    }
    const mime = sniffImageType(data);
    if (!mime) throw new UsageError(`${flag} ${path}: not a PNG, JPEG, WebP or GIF image`);
    return { data, mime };
  } finally {
    await handle.close();
  }
}

/**
 * The file's bytes, or undefined past `max`: the size checked before may be stale (a file still
 * being written, or one whose size reads 0 like /proc's), so the read itself is bounded.
 */
async function readAtMost(handle: FileHandle, max: number): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.alloc(Math.min(1024 * 1024, max + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > max) return undefined;
  }
}

type Fs = typeof FsPromises;

/**
 * The allowed folders that are still where they were: each is given by its real path (resolved
 * once, when the fence was set up), and one whose real path is another now (it, or a folder above
 * it, was swapped for a link) holds nothing, so the fence never moves to where a link points.
 */
async function realFolders(fs: Fs, folders: readonly string[], cwd: string): Promise<string[]> {
  const kept = await Promise.all(
    folders.map(async (f) => {
      const given = resolve(cwd, f);
      return (await fs.realpath(given).catch(() => undefined)) === given ? given : undefined;
    }),
  );
  return kept.filter((f): f is string => f !== undefined);
}

/**
 * Opens `full` only if its real path lies inside an allowed folder. The open does not follow a
 * link at the end, and the file opened must be the one checked: a folder on the way swapped for a
 * link between the check and the open is caught by checking the real path again afterwards.
 */
async function openFenced(
  fs: Fs,
  full: string,
  shown: string,
  allowRead: readonly string[],
  cwd: string,
): Promise<FileHandle | undefined> {
  if (allowRead.length === 0) {
    throw new UsageError(
      `${shown}: local image files cannot be read here; pass a public http(s) URL or a data: URI`,
    );
  }
  const folders = await realFolders(fs, allowRead, cwd);
  const inside = (real: string) => folders.some((folder) => isInside(folder, real));
  const real = await fs.realpath(full).catch(() => undefined);
  if (real === undefined) return undefined;
  const outside = new UsageError(
    `${shown}: outside the folders local images may be read from (${allowRead.join(", ")})`,
  );
  if (!inside(real)) throw outside;
  const handle = await fs.open(real, READ_FLAGS | NOFOLLOW).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const [opened, now] = await Promise.all([handle.stat(), fs.realpath(full).catch(() => undefined)]);
    const same = now !== undefined && inside(now) && (await fs.stat(now).catch(() => undefined));
    if (!same || same.ino !== opened.ino || same.dev !== opened.dev) throw outside;
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}
