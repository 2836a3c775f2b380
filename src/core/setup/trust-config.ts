import { resolveHome } from "../../config/home.js";
import { findConfigFiles } from "../../config/load.js";
import { TrustStore } from "../../config/trust.js";
import { UsageError } from "../../util/errors.js";
import type { Runtime } from "../client/context.js";

/** What `trustConfig` recorded: the config file found, and it and every file it imports, hashed. */
export interface TrustResult {
  file: string;
  trusted: { filepath: string; sha256: string }[];
}
/**
 * Remembers this content of a project's config file (by path and sha256) and of every file it
 * imports, so its base URLs and keys are used and its code may run; a later change to any of
 * them needs trusting again.
 */
export async function trustConfig(file: string | undefined, runtime: Runtime): Promise<TrustResult> {
  const files = await findConfigFiles(runtime.cwd, file, runtime.env);
  const found = files[0];
  if (found === undefined) {
    throw new UsageError(
      file === undefined
        ? "no config file found from this folder; name one: grokvid config trust FILE"
        : `cannot read ${file}`,
    );
  }
  const store = new TrustStore(resolveHome(runtime.env));
  const trusted: TrustResult["trusted"] = [];
  for (const f of files)
    trusted.push({ filepath: f.filepath, sha256: await store.trust(f.filepath, f.content) });
  return { file: found.filepath, trusted };
}
