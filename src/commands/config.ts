import { type CommandRuntime as Runtime, clientFor, type CommonFlags, createOutput } from "./cli-output.js";

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
  const { file: found, trusted } = await clientFor(flags, runtime, out).setup.trustConfig(file);
  for (const f of trusted)
    out.info(
      `trusted ${f.filepath} as it is now (sha256 ${f.sha256.slice(0, 12)}); a change to it needs trusting again`,
    );
  out.result(found);
}

/** `grokvid config path`: the user config file that get, set and edit work on. */
export async function runConfigPath(flags: CommonFlags, runtime: Runtime): Promise<void> {
  const out = await createOutput(flags, runtime);
  out.result(await clientFor(flags, runtime, out).setup.configFile());
}

/** `grokvid config get KEY`: a setting of the user config file; an apiKey is shown masked. */
export async function runConfigGet(key: string, flags: CommonFlags, runtime: Runtime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const value = await clientFor(flags, runtime, out).setup.getSetting(key);
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
  const file = await clientFor(flags, runtime, out).setup.setSetting(key, value);
  out.info(`set ${key} in ${file}`);
  out.result(file);
}

/** `grokvid config edit`: $VISUAL/$EDITOR on a copy, which replaces the file once it validates. */
export async function runConfigEdit(flags: CommonFlags, runtime: Runtime): Promise<void> {
  const out = await createOutput(flags, runtime);
  out.result(await clientFor(flags, runtime, out).setup.editConfig());
}
