import { providerChoices } from "../../config/choices.js";
import { resolveHome } from "../../config/home.js";
import { peekConfig } from "../../config/load.js";
import { providerSpecs } from "../../providers/specs.js";
import type { GatewayChoice, Runtime } from "../client/context.js";
import { recentJobIds } from "../journal/recent-ids.js";

/** What shell completion offers beyond the command line's own words. */
export interface CompletionSources {
  providers(): Promise<string[]>;
  /** The models of this provider, or of the default one (environment, config) when none is named. */
  models(provider: string | undefined): Promise<string[]>;
  jobIds(): Promise<string[]>;
}

/** Enough for any history a person pages through at a prompt; the read stays bounded. */
const MAX_IDS = 300;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The candidates a TAB press may offer: built-in providers and the config's gateways, a provider's
 * models, the newest job ids. The config is read as written (no JavaScript runs: a TAB press must
 * never run a project's code), once, and only when a provider or model is being completed.
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
  return {
    async providers() {
      return [...providerChoices, ...Object.keys(await gateways())];
    },
    async models(given) {
      const raw = await readConfig();
      const fallback = typeof raw.defaultProvider === "string" ? raw.defaultProvider : undefined;
      const name = (given ?? runtime.env.GROKVID_PROVIDER ?? fallback)?.trim().toLowerCase();
      if (name === undefined) return [];
      const dialect = name === "sandbox" ? "apimart" : name;
      const builtIn = Object.values(providerSpecs).find((p) => p.id === dialect);
      if (builtIn) return builtIn.models.map((m) => m.id);
      const all = await gateways();
      const gateway = Object.hasOwn(all, name) ? all[name] : undefined;
      return isRecord(gateway) && isRecord(gateway.models) ? Object.keys(gateway.models) : [];
    },
    async jobIds() {
      return recentJobIds(resolveHome(runtime.env), MAX_IDS);
    },
  };
}
