import { configCreateDefaults, selectRemembered } from "../../config/resolve.js";
import type { GrokvidConfig } from "../../config/schema.js";
import { ConfigError, UsageError } from "../../util/errors.js";
import { validateDefaults } from "../jobs/validate-create.js";

/**
 * The providers and gateways whose settings a change at `keyPath` touches, as they are in
 * `config`; every one of them for an edit (no key path).
 */
function touched(config: GrokvidConfig, keyPath: string | undefined): string[] {
  const providers = Object.keys(config.providers ?? {});
  const gateways = Object.keys(config.gateways ?? {});
  if (keyPath === undefined) return [...providers, ...gateways];
  const [section, name] = keyPath.split(".");
  const present = section === "providers" ? providers : section === "gateways" ? gateways : [];
  return name === undefined ? present : present.filter((p) => p === name);
}

/**
 * A provider's model and defaults in `config`, checked as a create checks them (validate-create.ts),
 * after a change at `keyPath` (or an edit): a model that the defaults already set do not fit is refused as
 * surely as a default the model does not take. The schema allows any duration; only the model
 * knows its limits. Refused as the config error it would be (exit 3), in the create's words.
 */
export function checkModelLimits(config: GrokvidConfig, keyPath?: string): void {
  for (const name of touched(config, keyPath)) {
    const selection = selectRemembered(name, config);
    try {
      validateDefaults(selection.provider, configCreateDefaults(selection), selection.choice);
    } catch (err) {
      if (err instanceof UsageError) throw new ConfigError(err.message);
      throw err;
    }
  }
}
