import { findConfigFiles } from "../config/load.js";
import { resolveHome } from "../config/resolve.js";
import { TrustStore } from "../config/trust.js";
import { editConfig, getSetting, setSetting } from "../config/user-config.js";
import { userConfigFile } from "../config/user-files.js";
import { UsageError } from "../util/errors.js";
import type { CommonFlags } from "../core/client/context.js";
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

/** `grokvid config path`: the user config file that get, set and edit work on. */
export async function runConfigPath(flags: CommonFlags, runtime: Runtime): Promise<void> {
  const out = await createOutput(flags, runtime);
  out.result(userConfigFile(runtime.env));
}

/** `grokvid config get KEY`: a setting of the user config file; an apiKey is shown masked. */
export async function runConfigGet(key: string, flags: CommonFlags, runtime: Runtime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const value = await getSetting(runtime.env, runtime.cwd, key);
  if (out.mode.json) out.resultJson(value);
  else out.result(typeof value === "string" ? value : JSON.stringify(value, null, 2));
}

/** `grokvid config set KEY VALUE`: validated with the whole file before it is written. */
export async function runConfigSet(
  key: string,
  value: string,
  flags: CommonFlags,
  runtime: Runtime,
): Promise<void> {
  const out = await createOutput(flags, runtime);
  const file = await setSetting(runtime.env, key, value);
  out.info(`set ${key} in ${file}`);
  out.result(file);
}

/** `grokvid config edit`: $VISUAL/$EDITOR on a copy, which replaces the file once it validates. */
export async function runConfigEdit(flags: CommonFlags, runtime: Runtime): Promise<void> {
  const out = await createOutput(flags, runtime);
  out.result(await editConfig(runtime.env, runtime.cwd));
}
