import { findConfigFiles } from "../config/load.js";
import { resolveHome } from "../config/resolve.js";
import { TrustStore } from "../config/trust.js";
import { UsageError } from "../errors.js";
import type { CommonFlags } from "../core/context.js";
import { type CommandRuntime as Runtime, createOutput } from "./cli-output.js";

/**
 * `grokvid config trust [FILE]`: remembers this content of a project's config file (by path and
 * sha256), so its base URLs are used and its code may run; any later change needs trusting again.
 */
export async function runConfigTrust(
  file: string | undefined,
  flags: CommonFlags,
  runtime: Runtime,
): Promise<void> {
  const out = await createOutput(flags, runtime);
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
  // The file and everything it imports, as they are now: a later change to any of them needs trusting again.
  for (const f of files) {
    const hash = await store.trust(f.filepath, f.content);
    out.info(
      `trusted ${f.filepath} as it is now (sha256 ${hash.slice(0, 12)}); a change to it needs trusting again`,
    );
  }
  out.result(found.filepath);
}
