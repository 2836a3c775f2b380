import { providerChoices } from "../../config/choices.js";
import { resolveHome } from "../../config/home.js";
import { peekConfig } from "../../config/load.js";
import { providerSpecs } from "../../providers/specs.js";
import type { ProviderSpec } from "../../providers/types.js";
import type { GatewayChoice, Runtime } from "../client/context.js";
import { recentJobIds } from "../journal/recent-ids.js";
import { anyValues, builtInSpec, gatewaySpec, type ModelFlag, providerValues } from "./flag-values.js";

export type { ModelFlag } from "./flag-values.js";

/** What shell completion offers beyond the command line's own words. */
export interface CompletionSources {
  providers(): Promise<string[]>;
  /** The models of this provider, or of the default one (environment, config) when none is named. */
  models(provider: string | undefined): Promise<string[]>;
  jobIds(): Promise<string[]>;
  /** The key paths `config get` and `config set` take (never an apiKey: keys set stores keys). */
  configKeys(): Promise<string[]>;
  /**
   * The values `flag` takes with this provider and model, each chosen as a create would choose it
   * (environment, config, the provider's own model); every value some model takes when no provider
   * is chosen. `extend`'s --duration is the seconds its provider adds.
   */
  flagValues(
    flag: ModelFlag,
    choice: { provider?: string; model?: string; operation?: "extend" },
  ): Promise<string[]>;
}

/** Enough for any history a person pages through at a prompt; the read stays bounded. */
const MAX_IDS = 300;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The candidates a TAB press may offer: built-in providers and the config's gateways, a provider's
 * models and limits, config keys, the newest job ids. The config is read as written (no JavaScript
 * runs: a TAB press must never run a project's code), once, and only when a provider, model or
 * limit is being completed.
 */
export function completionSources(choice: GatewayChoice, runtime: Runtime): CompletionSources {
  let config: Promise<Record<string, unknown>> | undefined;
  const readConfig = () =>
    (config ??= peekConfig(choice.config ?? runtime.env.GROKVID_CONFIG, runtime.cwd, runtime.env).then(
      (raw) => (isRecord(raw) ? raw : {}),
    ));
  const gateways = async () => {
    const section = (await readConfig()).gateways;
    return isRecord(section) ? section : {};
  };
  /** The provider named on the line, else by the environment, else by the config. */
  const chosen = async (given: string | undefined) => {
    const raw = await readConfig();
    const fallback = typeof raw.defaultProvider === "string" ? raw.defaultProvider : undefined;
    return (given ?? runtime.env.GROKVID_PROVIDER ?? fallback)?.trim().toLowerCase();
  };
  /** The model the config names for a built-in provider (a gateway's own is in its spec). */
  const configuredModel = async (name: string) => {
    const providers = (await readConfig()).providers;
    const settings = isRecord(providers) ? providers[name] : undefined;
    return isRecord(settings) && typeof settings.model === "string" ? settings.model : undefined;
  };
  const gatewaySpecs = async () => {
    const specs = await Promise.all(Object.entries(await gateways()).map(([n, def]) => gatewaySpec(n, def)));
    return specs.filter((spec) => spec !== undefined);
  };
  return {
    async providers() {
      return [...providerChoices, ...Object.keys(await gateways())];
    },
    async models(given) {
      const name = await chosen(given);
      if (name === undefined) return [];
      const builtIn = builtInSpec(name);
      if (builtIn) return builtIn.models.map((m) => m.id);
      const all = await gateways();
      const gateway = Object.hasOwn(all, name) ? all[name] : undefined;
      return isRecord(gateway) && isRecord(gateway.models) ? Object.keys(gateway.models) : [];
    },
    async jobIds() {
      return recentJobIds(resolveHome(runtime.env), MAX_IDS);
    },
    async configKeys() {
      return (await import("./config-keys.js")).configKeyPaths();
    },
    async flagValues(flag, { provider, model, operation }) {
      const op = operation === undefined ? {} : { operation };
      const name = await chosen(provider);
      if (name === undefined)
        return anyValues(flag, [...Object.values(providerSpecs), ...(await gatewaySpecs())], op);
      const all = await gateways();
      const spec: ProviderSpec | undefined =
        builtInSpec(name) ?? (Object.hasOwn(all, name) ? await gatewaySpec(name, all[name]) : undefined);
      if (spec === undefined) return [];
      const wanted = model ?? (await configuredModel(name));
      return providerValues(flag, spec, { ...(wanted === undefined ? {} : { model: wanted }), ...op });
    },
  };
}
