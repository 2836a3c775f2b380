import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { GrokvidConfig } from "../../config/schema.js";
import type { OutputPlan } from "../journal/journal.js";
import { renderPlan } from "./output-plan.js";
import { assertNameFits, DEFAULT_TEMPLATE } from "./output-path.js";

/** `-o` names a file, or a folder (existing, or written with a trailing slash) for the default name. */
export async function isFolderTarget(output: string, cwd: string): Promise<boolean> {
  // Looked at as typed: resolving a path drops its trailing slash.
  if (/[\\/]$/.test(output)) return true;
  return (await stat(resolve(cwd, output)).catch(() => undefined))?.isDirectory() === true;
}

/**
 * Where `-o` (or the config's download folder and template) sends a video, with absolute paths,
 * so the journal can send it there again from any folder.
 */
export async function planDestination(
  output: string | undefined,
  config: GrokvidConfig,
  cwd: string,
): Promise<OutputPlan> {
  const template = config.download?.template ?? DEFAULT_TEMPLATE;
  if (output === undefined) return { dir: resolve(cwd, config.download?.dir ?? "."), template };
  const target = resolve(cwd, output);
  if (await isFolderTarget(output, cwd)) return { dir: target, template };
  // A name the file system will refuse would otherwise fail only after the job is paid for.
  assertNameFits(target);
  return { path: target };
}

export async function resolveDestination(
  output: string | undefined,
  config: GrokvidConfig,
  provider: string,
  id: string,
  cwd: string,
): Promise<string> {
  return renderPlan(await planDestination(output, config, cwd), provider, id);
}

/**
 * The download path when it does not depend on the task id (a fixed -o file, or a template without
 * {id}), so it can be checked before the job is paid for; undefined when only the id will tell.
 */
export function fixedPath(plan: OutputPlan, provider: string): string | undefined {
  const a = renderPlan(plan, provider, "id-a");
  return a === renderPlan(plan, provider, "id-b") ? a : undefined;
}
