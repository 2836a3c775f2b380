import type { GatewayChoice, Reporter, Runtime } from "../client/context.js";
import { UsageError } from "../../util/errors.js";
import { maskKey, registerEnvSecrets } from "../../util/redact.js";
import { describeKeySource, findKey, type KeySource } from "../../config/key-source.js";
import { storeKey } from "../../config/keys-store.js";
import { loadConfig } from "../../config/load.js";
import { acceptedProviders, selectProvider } from "../../config/resolve.js";
import type { GrokvidConfig } from "../../config/schema.js";

export interface KeyEntry {
  provider: string;
  /** Where the key in use comes from; undefined when there is none. */
  source: KeySource | undefined;
  /** `GROKVID_APIMART_API_KEY`, `FILE`, or `providers.apimart.apiKey in FILE`. */
  from: string | undefined;
  /** Enough to tell keys apart, never enough to use one. */
  masked: string | undefined;
}

/** A stored key: the keys file, and the source that still wins over it, if any. */
export interface StoredKey {
  file: string;
  shadowedBy: string | undefined;
}

/** The config a keys command sees: the one every other command would load from here. */
export async function loadKeysConfig(
  flags: GatewayChoice,
  runtime: Runtime,
  report: Reporter,
): Promise<{ config: GrokvidConfig; filepath: string | undefined }> {
  registerEnvSecrets(runtime.env);
  const loaded = await loadConfig(flags.config ?? runtime.env.GROKVID_CONFIG, runtime.cwd, runtime.env);
  for (const w of loaded.warnings) report.warn(w);
  return { config: loaded.config, filepath: loaded.filepath };
}

/** Every provider and gateway that takes a key (the sandbox takes none), and the key each would use. */
export function listKeys(config: GrokvidConfig, env: Runtime["env"], configFile?: string): KeyEntry[] {
  return acceptedProviders(config)
    .filter((name) => name !== "sandbox")
    .map((name) => {
      const found = findKey(selectProvider(name, env, config), env, configFile);
      return {
        provider: name,
        source: found.source,
        from: found.source && describeKeySource(found.source),
        masked: found.apiKey === undefined ? undefined : maskKey(found.apiKey),
      };
    });
}

/** The provider or gateway name a key is stored under; checked before the key is asked for. */
export function checkKeyTarget(name: string, config: GrokvidConfig): string {
  const provider = name.trim().toLowerCase();
  const accepted = acceptedProviders(config).filter((p) => p !== "sandbox");
  if (!accepted.includes(provider)) {
    throw new UsageError(
      `${name} is not a provider or a configured gateway; accepted: ${accepted.join(", ")}`,
    );
  }
  return provider;
}

/**
 * Stores `key` for a built-in provider or a configured gateway in the keys file. The key comes
 * from standard input or a hidden prompt, never the command line (where `ps` and shell history
 * would keep it).
 */
export async function setKey(
  name: string,
  key: string,
  config: GrokvidConfig,
  env: Runtime["env"],
): Promise<StoredKey> {
  const provider = checkKeyTarget(name, config);
  if (key === "") throw new UsageError("no key given on standard input; nothing was stored");
  if (/[\s\p{Cc}]/u.test(key)) {
    throw new UsageError("the key holds spaces or control characters; nothing was stored");
  }
  const file = await storeKey(env, provider, key);
  // A key in the environment or the config file still wins: say so, rather than let it surprise.
  const found = findKey(selectProvider(provider, env, config), env);
  const shadowedBy =
    found.source && found.source.kind !== "keys-file" ? describeKeySource(found.source) : undefined;
  return { file, shadowedBy };
}
