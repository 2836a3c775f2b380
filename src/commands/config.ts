import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { findConfigFile } from "../config/load.js";
import { resolveHome } from "../config/resolve.js";
import { TrustStore } from "../config/trust.js";
import { UsageError } from "../errors.js";
import { type CommonFlags, createOutput, type Runtime } from "./session.js";

/**
 * `grokvid config trust [FILE]`: remembers this content of a project's config file (by path and
 * sha256), so its base URLs are used and its code may run; any later change needs trusting again.
 */
export async function runConfigTrust(
  file: string | undefined,
  flags: CommonFlags,
  runtime: Runtime,
): Promise<void> {
  const out = createOutput(flags, runtime);
  const path = file === undefined ? await findConfigFile(runtime.cwd) : resolve(runtime.cwd, file);
  if (path === undefined)
    throw new UsageError("no config file found from this folder; name one: grokvid config trust FILE");
  const content = await readFile(path).catch(() => {
    throw new UsageError(`cannot read ${path}`);
  });
  const hash = await new TrustStore(resolveHome(runtime.env)).trust(path, content);
  out.info(`trusted ${path} as it is now (sha256 ${hash.slice(0, 12)}); a change to it needs trusting again`);
  out.result(path);
}
