import { renderTable } from "../ui/table.js";
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

/** A value as one line of text: strings as they are, anything else as JSON. */
const asText = (value: unknown, indent?: number): string =>
  typeof value === "string" ? value : JSON.stringify(value, null, indent);

/**
 * `grokvid config get KEY`: a setting of the user config file, an apiKey masked; when the file
 * leaves it out, the default, with a note on stderr saying so (stdout stays the bare value).
 */
export async function runConfigGet(key: string, flags: CommonFlags, runtime: Runtime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const { value, source, file } = await clientFor(flags, runtime, out).setup.getSetting(key);
  if (source === "default")
    out.info(
      value === undefined
        ? `${key} is not set in ${file} and has no default (the gateway's own applies)`
        : `${key} is not set in ${file}; this is the default`,
    );
  if (out.mode.json) out.resultJson(value ?? null);
  else if (value !== undefined) out.result(asText(value, 2));
}

/** `grokvid config unset KEY`: takes a setting out of the user config file. */
export async function runConfigUnset(key: string, flags: CommonFlags, runtime: Runtime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const { file, removed } = await clientFor(flags, runtime, out).setup.unsetSetting(key);
  out.info(removed ? `unset ${key} in ${file}` : `${key} is not set in ${file}; nothing to unset`);
  out.result(file);
}

/** `grokvid config list`: every setting in effect, its value and where it comes from. */
export async function runConfigList(flags: CommonFlags, runtime: Runtime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const settings = await clientFor(flags, runtime, out).setup.listSettings();
  if (out.mode.json) {
    out.resultJson(settings.map(({ key, value, from }) => ({ key, value, from })));
    return;
  }
  const rows = settings.map((s) => [s.key, s.value === null ? "-" : asText(s.value), s.from]);
  for (const line of renderTable(["KEY", "VALUE", "FROM"], rows)) out.result(line);
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
