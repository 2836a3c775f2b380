import { isAbsolute, join, relative, sep } from "node:path";
import type { OutputPlan } from "./journal-events.js";
import { renderFileName } from "./output-path.js";

/** The file a planned output names for this job: the fixed path, or the template rendered in its folder. */
export function renderPlan(plan: OutputPlan, provider: string, id: string, date = new Date()): string {
  if (plan.path !== undefined) return plan.path;
  const name = renderFileName(plan.template ?? "{provider}-{id}.mp4", {
    provider,
    id,
    date,
    ...(plan.index === undefined ? {} : { index: plan.index }),
    ...(plan.slug === undefined ? {} : { slug: plan.slug }),
  });
  return join(plan.dir ?? ".", name);
}

/**
 * A video's sidecar is the same name with `.json` for its extension (`clip.mp4` -> `clip.json`,
 * `clip` -> `clip.json`). A video that itself ends in `.json` has no sidecar name of its own, so
 * such an output is refused before anything is paid for.
 */
export function sidecarPathFor(video: string): string {
  return video.replace(/\.[^./\\]*$/, "") + ".json";
}

/** True when `path` (absolute) lies inside `folder` (absolute) and not at it. */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** How a path is shown: relative to the working folder when it lies inside it, else absolute. */
export function displayPath(path: string, cwd: string): string {
  return isInside(cwd, path) ? relative(cwd, path) : path;
}
