import { createHash, type Hash } from "node:crypto";
import { type FileHandle, rm } from "node:fs/promises";
import type { DownloadResult } from "./download-result.js";
import { readPartMeta } from "./part-file.js";
import { openRegular } from "../../files/safe-file.js";

/** A download the caller already knows about (e.g. from its journal), to be recognised on disk. */
export interface ExpectedFile {
  bytes: number;
  sha256: string;
  sourceUrl?: string;
}

/** Feeds the first `bytes` of an open file into `hash`, in bounded pieces. */
export async function hashHandle(file: FileHandle, bytes: number, hash: Hash): Promise<void> {
  const buffer = Buffer.alloc(64 * 1024);
  for (let pos = 0; pos < bytes;) {
    const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, bytes - pos), pos);
    if (bytesRead === 0) throw new Error(`the file shrank to ${pos} bytes while it was read`);
    hash.update(buffer.subarray(0, bytesRead));
    pos += bytesRead;
  }
}

async function holds(path: string, want: ExpectedFile): Promise<boolean> {
  const file = await openRegular(path, "read");
  if (!file) return false;
  try {
    if ((await file.stat()).size !== want.bytes) return false;
    const hash = createHash("sha256");
    await hashHandle(file, want.bytes, hash);
    return hash.digest("hex") === want.sha256;
  } finally {
    await file.close();
  }
}

/** Which proof (the part meta's, or the caller's) the file at `dest` matches, touching nothing. */
export async function findAdoptable(
  dest: string,
  part: string,
  taskId: string,
  expected: ExpectedFile | undefined,
): Promise<{ want: ExpectedFile; own: boolean } | undefined> {
  const meta = await readPartMeta(part);
  const own = meta?.taskId === taskId ? meta.final : undefined;
  for (const want of [own, expected]) {
    if (want && (await holds(dest, want))) return { want, own: want === own };
  }
  return undefined;
}

/**
 * The result for a file already at `dest` that is provably this task's video: the part meta's
 * record of the finished download (left when the process died right after the rename), or the
 * size and hash the caller expects. Anything else at `dest` is not ours to claim.
 */
export async function adoptFinished(
  dest: string,
  part: string,
  taskId: string,
  expected: ExpectedFile | undefined,
): Promise<DownloadResult | undefined> {
  const found = await findAdoptable(dest, part, taskId, expected);
  if (!found) return undefined;
  // A .part of ours beside it holds the same bytes (died between link and unlink) or is stale.
  if (found.own) await rm(part, { force: true });
  const { want } = found;
  return {
    path: dest,
    bytes: want.bytes,
    sha256: want.sha256,
    sourceUrl: want.sourceUrl ?? "",
    resumedFrom: 0,
    adopted: true,
  };
}
