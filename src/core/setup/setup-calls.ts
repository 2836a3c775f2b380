import type { GatewayChoice, Reporter, Runtime } from "../client/context.js";
import type { CompletionSources } from "./completion.js";
import type { Setting, SettingValue } from "./config-settings.js";
import type { DoctorCheck } from "./doctor.js";
import type { KeyEntry, StoredKey } from "./keys.js";
import type { TrustResult } from "./trust-config.js";

/**
 * The set-up calls behind `keys`, `config`, `doctor` and shell completion, for the client to hand
 * out. Each loads its module when first called, so a status check never loads the doctor.
 */
export class SetupCalls {
  constructor(
    private readonly choice: GatewayChoice,
    private readonly runtime: Runtime,
    private readonly report: Reporter,
  ) {}

  private async keysConfig() {
    const { loadKeysConfig } = await import("./keys.js");
    return loadKeysConfig(this.choice, this.runtime, this.report);
  }

  /** Where `storeKey` keeps keys (keys.json in the user config folder). */
  async keysFile(): Promise<string> {
    return (await import("../../config/user-files.js")).keysFilePath(this.runtime.env);
  }

  /** Every provider and gateway that takes a key, the key each would use (masked) and where it comes from. */
  async listKeys(): Promise<KeyEntry[]> {
    const { config, filepath } = await this.keysConfig();
    return (await import("./keys.js")).listKeys(config, this.runtime.env, filepath);
  }

  /** The name a key for `provider` is stored under; throws UsageError for an unknown one. */
  async keyTarget(provider: string): Promise<string> {
    const { config } = await this.keysConfig();
    return (await import("./keys.js")).checkKeyTarget(provider, config);
  }

  /** Stores a key in the keys file (0600, replaced by rename, under a lock). */
  async storeKey(provider: string, key: string): Promise<StoredKey> {
    const { config } = await this.keysConfig();
    return (await import("./keys.js")).setKey(provider, key, config, this.runtime.env);
  }

  /** The user's own config file, which getSetting, setSetting and editConfig work on. */
  async configFile(): Promise<string> {
    return (await import("../../config/user-files.js")).userConfigFile(this.runtime.env);
  }

  /**
   * A setting of the user's config file (keys masked), or its built-in default when the file
   * leaves it out (`source: "default"`); UsageError, naming the likely setting, for an unknown key.
   */
  async getSetting(keyPath: string): Promise<SettingValue> {
    return (await import("./config-settings.js")).getSetting(this.runtime, keyPath);
  }

  /**
   * Every setting in effect for the config this client loads (the search, `config`, GROKVID_CONFIG)
   * and the environment: its value (keys masked) and where it comes from, defaults included.
   */
  async listSettings(): Promise<Setting[]> {
    const { config, filepath } = await this.keysConfig();
    return (await import("./config-settings.js")).listSettings(config, filepath, this.runtime.env);
  }

  /**
   * Sets a setting in the user's config file; returns the file. Checked first by the schema and,
   * for a provider's model and defaults, by the model's limits: what a create would refuse.
   */
  async setSetting(keyPath: string, value: string): Promise<string> {
    const [{ setSetting }, { checkModelLimits }] = await Promise.all([
      import("../../config/user-config.js"),
      import("./setting-limits.js"),
    ]);
    return setSetting(this.runtime.env, keyPath, value, checkModelLimits);
  }

  /**
   * Takes a setting out of the user's config file (the one setSetting writes), checked as a set
   * is; `removed` is false when the file did not set it. UsageError for an unknown key.
   */
  async unsetSetting(keyPath: string): Promise<{ file: string; removed: boolean }> {
    const [{ unsetSetting }, { checkKeyPath }, { checkModelLimits }] = await Promise.all([
      import("../../config/user-config.js"),
      import("../../config/key-paths.js"),
      import("./setting-limits.js"),
    ]);
    return unsetSetting(this.runtime.env, checkKeyPath(keyPath), checkModelLimits);
  }

  /**
   * $VISUAL/$EDITOR on a copy of the user's config file, which replaces it once it validates (the
   * schema, and each provider's model limits, as setSetting checks them).
   */
  async editConfig(): Promise<string> {
    const [{ editConfig }, { checkModelLimits }] = await Promise.all([
      import("../../config/user-config.js"),
      import("./setting-limits.js"),
    ]);
    return editConfig(this.runtime.env, this.runtime.cwd, checkModelLimits);
  }

  /** Trusts a project's config file (the one found from here, or `file`) and what it imports, as they are now. */
  async trustConfig(file?: string): Promise<TrustResult> {
    return (await import("./trust-config.js")).trustConfig(file, this.runtime);
  }

  /** Node, config, keys, journal, and each provider's gateway and key, with free requests only. */
  async doctor(): Promise<DoctorCheck[]> {
    return (await import("./doctor.js")).runDoctor(this.choice, this.runtime);
  }

  /** Providers, models and recent job ids for shell completion: no network, no config code run. */
  async completionSources(): Promise<CompletionSources> {
    return (await import("./completion.js")).completionSources(this.choice, this.runtime);
  }
}
