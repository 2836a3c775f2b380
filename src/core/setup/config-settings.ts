import { describeKeySource, findKey } from "../../config/key-source.js";
import { checkKeyPath, settingKeys } from "../../config/key-paths.js";
import { selectRemembered } from "../../config/resolve.js";
import type { GrokvidConfig } from "../../config/schema.js";
import { readSetting } from "../../config/user-config.js";
import { maskKey, maskUrl } from "../../util/redact.js";
import type { Runtime } from "../client/context.js";
import { builtInDefault, defaultAt } from "./setting-defaults.js";

/** Where a setting's value comes from (a flag sets none of these: flags belong to one command). */
export type SettingSource =
  | { kind: "env"; variable: string }
  | { kind: "file"; file: string }
  /** An apiKey stored by `keys set`. */
  | { kind: "keys-file"; file: string }
  | { kind: "default" };

/** One effective setting, as `config list` shows it. */
export interface Setting {
  /** Its key path: "poll.interval", "providers.apimart.defaults.duration". */
  key: string;
  /** The value in use (an apiKey masked); null when nothing sets it and there is no default. */
  value: unknown;
  source: SettingSource;
  /** The source in a word: the variable's name, the file, or "default". */
  from: string;
}

/** A setting of the user's config file, or its default when the file leaves it out. */
export interface SettingValue {
  key: string;
  /** apiKeys masked; undefined when the file leaves it out and there is no default. */
  value: unknown;
  /** "default" when the file leaves it out: `value` is then grokvid's own. */
  source: "file" | "default";
  /** The user's config file that was read. */
  file: string;
}

/** `config get`: the user file's value at `keyPath` (apiKeys masked), else the built-in default. */
export async function getSetting(runtime: Runtime, keyPath: string): Promise<SettingValue> {
  const parts = checkKeyPath(keyPath);
  const { file, config, value } = await readSetting(runtime.env, runtime.cwd, parts);
  if (value !== undefined) return { key: keyPath, value, source: "file", file };
  return { key: keyPath, value: defaultAt(parts, config), source: "default", file };
}

const describe = (source: SettingSource): string =>
  source.kind === "env" ? source.variable : source.kind === "default" ? "default" : source.file;

const NAME = /^(providers|gateways)$/;

/** The shared journal's settings, each with the variable that wins over the file. */
const JOURNAL_VARIABLES: Readonly<Record<string, string>> = {
  url: "GROKVID_JOURNAL_URL",
  lease: "GROKVID_JOURNAL_LEASE",
};

/** The variable that wins over the file for a setting, if one is set: GROKVID_PROVIDER, GROKVID_<NAME>_BASE_URL. */
function variableFor(parts: readonly string[], env: Runtime["env"]): string | undefined {
  const [section = "", name = "", field, ...rest] = parts;
  const journal = section === "journal" && field === undefined ? JOURNAL_VARIABLES[name] : undefined;
  const variable =
    section === "defaultProvider"
      ? "GROKVID_PROVIDER"
      : NAME.test(section) && field === "baseUrl" && rest.length === 0
        ? `GROKVID_${name.toUpperCase().replace(/-/g, "_")}_BASE_URL`
        : journal;
  // An empty variable means "not set", as everywhere else.
  return variable !== undefined && env[variable]?.trim() ? variable : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function valueIn(config: GrokvidConfig, parts: readonly string[]): unknown {
  let value: unknown = config;
  for (const part of parts) value = isRecord(value) && Object.hasOwn(value, part) ? value[part] : undefined;
  return value;
}

/** The key a provider or gateway would use, and where it comes from: the same search a create makes. */
function keySetting(name: string, config: GrokvidConfig, env: Runtime["env"], file: string | undefined) {
  const found = findKey(selectRemembered(name, config), env, file);
  const source: SettingSource =
    found.source === undefined
      ? { kind: "default" }
      : found.source.kind === "config"
        ? { kind: "file", file: found.source.file ?? describeKeySource(found.source) }
        : found.source;
  return { value: found.apiKey === undefined ? null : maskKey(found.apiKey), source };
}

/**
 * Every setting in effect with this config (`file` is where it was found) and environment: the
 * environment's value, else the file's, else the built-in default. A setting inside a gateway
 * (whose entries are the user's own) is listed only when it has a value.
 */
export function listSettings(
  config: GrokvidConfig,
  file: string | undefined,
  env: Runtime["env"],
): Setting[] {
  return settingKeys(config).flatMap((parts) => {
    const [section = "", name = ""] = parts;
    let value: unknown;
    let source: SettingSource;
    const variable = variableFor(parts, env);
    if (NAME.test(section) && parts.length === 3 && parts[2] === "apiKey") {
      ({ value, source } = keySetting(name, config, env, file));
    } else if (variable !== undefined) {
      value = env[variable]?.trim();
      source = { kind: "env", variable };
    } else if (file !== undefined && valueIn(config, parts) !== undefined) {
      value = valueIn(config, parts);
      source = { kind: "file", file };
    } else {
      value = builtInDefault(parts, config) ?? null;
      source = { kind: "default" };
    }
    if (value === null && section === "gateways") return [];
    // The shared journal's password, however written and however short, is never listed.
    if (section === "journal" && typeof value === "string") value = maskUrl(value);
    return [{ key: parts.join("."), value, source, from: describe(source) }];
  });
}
