import { basename, dirname, extname, join, resolve } from "node:path";
import type { BatchOptions } from "./events.js";

/**
 * Where a batch's gallery goes: the path given (a folder is fine), else beside the manifest
 * (run.json -> run.html; run.html -> run.gallery.html, never the manifest itself), else
 * gallery.html in the output folder.
 */
export function batchGalleryOutput(options: BatchOptions, cwd: string): string {
  if (typeof options.gallery === "string") return options.gallery;
  if (options.manifest !== undefined) {
    const manifest = resolve(cwd, options.manifest);
    const stem = basename(manifest, extname(manifest));
    const name = extname(manifest).toLowerCase() === ".html" ? `${stem}.gallery.html` : `${stem}.html`;
    return join(dirname(manifest), name);
  }
  return join(resolve(cwd, options.outDir ?? "."), "gallery.html");
}
