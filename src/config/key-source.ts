import { registerSecret } from "../util/redact.js";
import { readStoredKeys } from "./keys-file.js";
import type { Env } from "../util/env.js";
import type { ProviderSelection } from "./selection.js";
import { keysFilePath } from "./user-files.js";

/** Where a provider's key was found, for `keys list` and `doctor` (never the key itself). */
export type KeySource =
  | { kind: "env"; variable: string }
  | { kind: "config"; keyPath: string; file?: string }
  | { kind: "keys-file"; file: string };

export interface FoundKey {
  apiKey: string | undefined;
  /** The variable a key would be read from (the ecosystem's own when only that one is set). */
  variable: string;
  source: KeySource | undefined;
}

type KeyedSelection = Pick<
  ProviderSelection,
  "choice" | "dialect" | "provider" | "settings" | "settingsPath" | "keyVariable"
>;

/** The name a key is stored under: the provider or gateway the user chose (the sandbox needs none). */
export const storedKeyName = (s: Pick<ProviderSelection, "choice" | "dialect">): string =>
  s.choice === "sandbox" ? s.dialect : s.choice;

/**
 * The key for a provider, highest first: GROKVID_<NAME>_API_KEY, the provider's own tools' variable
 * (XAI_API_KEY), the config file's `<settingsPath>.apiKey`, then the keys file of `keys set`
 * (see keys-file.ts for why it is a file of its own). Every key seen is registered for redaction.
 */
export function findKey(selection: KeyedSelection, env: Env, configFile?: string): FoundKey {
  const own = selection.keyVariable;
  const ecosystem = selection.provider.ecosystemKeyVariable;
  const ecosystemKey = ecosystem === undefined ? undefined : env[ecosystem]?.trim();
  const variable = !env[own]?.trim() && ecosystemKey && ecosystem ? ecosystem : own;
  const envKey = env[variable]?.trim();
  const fileKey = selection.settings?.apiKey;
  registerSecret(envKey);
  registerSecret(ecosystemKey);
  registerSecret(fileKey);
  if (envKey) return { apiKey: envKey, variable, source: { kind: "env", variable } };
  if (fileKey) {
    const keyPath = `${selection.settingsPath}.apiKey`;
    return {
      apiKey: fileKey,
      variable,
      source: { kind: "config", keyPath, ...(configFile === undefined ? {} : { file: configFile }) },
    };
  }
  const stored = readStoredKeys(env)[storedKeyName(selection)];
  if (stored) return { apiKey: stored, variable, source: { kind: "keys-file", file: keysFilePath(env) } };
  return { apiKey: undefined, variable, source: undefined };
}

/** One line's worth: `GROKVID_APIMART_API_KEY`, `providers.apimart.apiKey in FILE`, `FILE`. */
export function describeKeySource(source: KeySource): string {
  if (source.kind === "env") return source.variable;
  if (source.kind === "keys-file") return source.file;
  return source.file === undefined ? source.keyPath : `${source.keyPath} in ${source.file}`;
}
