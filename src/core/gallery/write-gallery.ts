import { resolve } from "node:path";
import { type Journal, jobKey } from "../journal/journal.js";
import { buildCard } from "./cards.js";
import { checkGalleryTarget, resolveGalleryPath, saveGalleryPage } from "./gallery-target.js";
import { renderGallery } from "./render-html.js";
import { type GallerySelection, selectJobs } from "./select.js";
import type { GalleryCard } from "./types.js";

export interface GalleryOptions extends GallerySelection {
  /** The HTML file to write (a folder: gallery.html in it); default `gallery.html` in the working folder. */
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

/**
 * Selects jobs from the journal, builds their cards from the journal and the files on disk, and
 * writes one self-contained page. Every filter is checked first: a bad one writes nothing.
 */
export async function writeGallery(
  journal: Journal,
  options: GalleryOptions,
  env: { cwd: string; nowMs: number; providers?: readonly string[] },
): Promise<GalleryResult> {
  const path = await resolveGalleryPath(options.output, env.cwd);
  const state = await journal.readState();
  const { jobs, lines } = await selectJobs(state.jobs, options, {
    resolvePath: (p) => resolve(env.cwd, p),
    nowMs: env.nowMs,
    providers: env.providers ?? [],
  });
  await checkGalleryTarget(path, options.force === true);
  const cards: GalleryCard[] = [];
  // One at a time: a stat and a few header reads each, and a gallery of thousands must not open them all at once.
  for (const job of jobs) {
    const card = await buildCard(job);
    const line = lines?.get(jobKey(job.provider, job.id));
    cards.push(line === undefined ? card : { ...card, line });
  }
  const html = renderGallery({
    title: options.title ?? "grokvid gallery",
    generatedAt: new Date(env.nowMs).toISOString(),
    file: path,
    cards,
    // A batch's page keeps its line order (a manifest or a batch's own list named the jobs).
    ...(lines ? { order: "line" as const } : {}),
  });
  await saveGalleryPage(path, html);
  return { path, cards };
}

/**
 * Where writeGallery would write with these options, checked as it checks it, writing nothing: a
 * batch asks this before it pays for any job, so a page it could not write stops it at once.
 */
export async function prepareGalleryOutput(
  options: Pick<GalleryOptions, "output" | "force">,
  cwd: string,
): Promise<string> {
  const path = await resolveGalleryPath(options.output, cwd);
  await checkGalleryTarget(path, options.force === true);
  return path;
}
