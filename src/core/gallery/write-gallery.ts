import { open, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError } from "../../errors.js";
import type { Journal } from "../journal.js";
import { writeFileAtomic } from "../safe-file.js";
import { buildCard } from "./cards.js";
import { GALLERY_GENERATOR, renderGallery } from "./render-html.js";
import { type GallerySelection, selectJobs } from "./select.js";
import type { GalleryCard } from "./types.js";

export interface GalleryOptions extends GallerySelection {
  /** The HTML file to write; default `gallery.html` in the working folder. */
  output?: string;
  /** Replace a file at `output` that is not an earlier gallery. */
  force?: boolean;
  title?: string;
}

export interface GalleryResult {
  /** The absolute path of the written page. */
  path: string;
  cards: GalleryCard[];
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

async function checkTarget(path: string, force: boolean): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (!existing) return;
  if (!existing.isFile())
    throw new UsageError(`${path} is not a regular file; pass an .html file path to -o`);
  if (!force && !(await isEarlierGallery(path)))
    throw new UsageError(`${path} already exists and is not a grokvid gallery; pass --force to replace it`);
}

/**
 * Selects jobs from the journal, builds their cards from the journal and the files on disk, and
 * writes one self-contained page. Every filter is checked first: a bad one writes nothing.
 */
export async function writeGallery(
  journal: Journal,
  options: GalleryOptions,
  env: { cwd: string; nowMs: number },
): Promise<GalleryResult> {
  const path = resolve(env.cwd, options.output ?? "gallery.html");
  const state = await journal.readState();
  const jobs = await selectJobs(state.jobs, options, (p) => resolve(env.cwd, p), env.nowMs);
  await checkTarget(path, options.force === true);
  const cards: GalleryCard[] = [];
  // One at a time: a stat and a few header reads each, and a gallery of thousands must not open them all at once.
  for (const job of jobs) cards.push(await buildCard(job));
  const html = renderGallery({
    title: options.title ?? "grokvid gallery",
    generatedAt: new Date(env.nowMs).toISOString(),
    file: path,
    cards,
  });
  await writeFileAtomic(path, html, { force: true });
  return { path, cards };
}
