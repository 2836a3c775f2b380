import { access, constants, mkdir, open, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { UsageError } from "../../util/errors.js";
import { isFolderTarget } from "../download/destination.js";
import { assertNameFits } from "../download/output-path.js";
import { codeOf, writeFileAtomic } from "../../files/safe-file.js";
import { GALLERY_GENERATOR } from "./render-html.js";

export const DEFAULT_GALLERY_NAME = "gallery.html";

/**
 * The page `-o` names, as `-o` means for videos: a path ending in a slash, or an existing folder,
 * gets gallery.html in it.
 */
export async function resolveGalleryPath(output: string | undefined, cwd: string): Promise<string> {
  if (output === undefined) return resolve(cwd, DEFAULT_GALLERY_NAME);
  const target = resolve(cwd, output);
  return (await isFolderTarget(output, cwd)) ? join(target, DEFAULT_GALLERY_NAME) : target;
}

/** Marked so that writing a gallery again replaces the last one, and nothing else, without --force. */
async function isEarlierGallery(path: string): Promise<boolean> {
  const handle = await open(path, "r").catch(() => undefined);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(2048);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead).toString("utf8").includes(GALLERY_GENERATOR);
  } finally {
    await handle.close();
  }
}

/** The closest folder on the way to `path` that exists (missing ones are made when writing). */
async function nearestExisting(path: string): Promise<{ path: string; isFolder: boolean }> {
  let current = dirname(path);
  for (;;) {
    const found = await stat(current).catch((err: unknown) => (codeOf(err) === "ENOENT" ? undefined : null));
    if (found) return { path: current, isFolder: found.isDirectory() };
    // Not ENOENT (a file in the way gives ENOTDIR, a locked folder EACCES): let the write say why.
    if (found === null || dirname(current) === current) return { path: current, isFolder: true };
    current = dirname(current);
  }
}

const cannotWrite = (path: string, why: string) =>
  new UsageError(`cannot write the gallery to ${path}: ${why}`);

/**
 * Everything about where a page goes that can be known before writing it, so `batch --gallery`
 * refuses a bad path before it pays for anything: a name too long, a file in the way of a folder,
 * a folder that cannot be written, and another file than an earlier gallery unless `force`.
 */
export async function checkGalleryTarget(path: string, force: boolean): Promise<void> {
  assertNameFits(path);
  const existing = await stat(path).catch(() => undefined);
  if (existing) {
    if (!existing.isFile())
      throw new UsageError(`${path} is not a regular file; pass an .html file path to -o`);
    if (!force && !(await isEarlierGallery(path)))
      throw new UsageError(`${path} already exists and is not a grokvid gallery; pass --force to replace it`);
    return;
  }
  const folder = await nearestExisting(path);
  if (!folder.isFolder) throw cannotWrite(path, `${folder.path} is not a folder`);
  await access(folder.path, constants.W_OK).catch(() => {
    throw cannotWrite(path, `${folder.path} is not writable`);
  });
}

/** Writes the page (making missing folders); a refusal of the disk is one line, not an internal error. */
export async function saveGalleryPage(path: string, html: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, html, { force: true });
  } catch (err) {
    const code = codeOf(err);
    if (code === undefined) throw err;
    throw cannotWrite(path, code === "ENOSPC" ? "the disk is full" : code);
  }
}
