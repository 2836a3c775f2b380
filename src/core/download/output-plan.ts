import { extname, join } from "node:path";

export { displayPath, isInside } from "../../util/paths.js";
import type { OutputPlan } from "../journal/events.js";
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
 * Where a video's sidecar goes: the video path with its extension replaced by `.json`
 * (`clip.mp4` -> `clip.json`, `clip` -> `clip.json`), except that a video whose own extension is
 * `.json` (any case) gets `<stem>.meta.json` (`clip.json` -> `clip.meta.json`), so a sidecar is
 * never the video itself. Pure, so the batch planner refuses colliding outputs before sending.
 */
export function sidecarPathFor(video: string): string {
  const ext = extname(video);
  const stem = video.slice(0, video.length - ext.length);
  return ext.toLowerCase() === ".json" ? `${stem}.meta.json` : `${stem}.json`;
}
