import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { GrokvidConfig } from "../config/schema.js";
import { assertNameFits, DEFAULT_TEMPLATE, defaultOutputPath, renderFileName } from "../core/output-path.js";

/** `-o` names a file, or a folder (existing, or written with a trailing slash) for the default name. */
async function isFolderTarget(output: string): Promise<boolean> {
  if (/[\\/]$/.test(output)) return true;
  return (await stat(output).catch(() => undefined))?.isDirectory() === true;
}

export async function resolveDestination(
  output: string | undefined,
  config: GrokvidConfig,
  provider: string,
  id: string,
): Promise<string> {
  const template = config.download?.template ?? DEFAULT_TEMPLATE;
  const fields = { provider, id, date: new Date() };
  let dest: string;
  if (output === undefined) dest = defaultOutputPath(config.download?.dir ?? ".", template, fields);
  else if (await isFolderTarget(output)) dest = join(output, renderFileName(template, fields));
  else {
    // A name the file system will refuse would otherwise fail only after the job is paid for.
    assertNameFits(output);
    dest = output;
  }
  return dest;
}

/**
 * The download path when it does not depend on the task id (a fixed -o file, or a template without
 * {id}), so it can be checked before the job is paid for; undefined when only the id will tell.
 */
export async function fixedDestination(
  output: string | undefined,
  config: GrokvidConfig,
  provider: string,
): Promise<string | undefined> {
  const a = await resolveDestination(output, config, provider, "id-a");
  const b = await resolveDestination(output, config, provider, "id-b");
  return a === b ? a : undefined;
}
