import { configCreateDefaults, selectRemembered } from "../../config/resolve.js";
import type { GrokvidConfig } from "../../config/schema.js";
import { ConfigError, UsageError } from "../../util/errors.js";
import { validateDefaults } from "../jobs/validate-create.js";

/** The providers and gateways whose settings a change at `keyPath` touches, as they are in `config`. */
function touched(keyPath: string, config: GrokvidConfig): string[] {
  const [section, name] = keyPath.split(".");
  const present =
    section === "providers"
      ? Object.keys(config.providers ?? {})
      : section === "gateways"
        ? Object.keys(config.gateways ?? {})
        : [];
  return name === undefined ? present : present.filter((p) => p === name);
}

/**
 * A provider's model and defaults in `config`, checked as a create checks them (validate-create.ts),
 * after a change at `keyPath`: a model that the defaults already set do not fit is refused as
 * surely as a default the model does not take. The schema allows any duration; only the model
 * knows its limits. Refused as the config error it would be (exit 3), in the create's words.
 */
export function checkModelLimits(config: GrokvidConfig, keyPath: string): void {
  for (const name of touched(keyPath, config)) {
    const selection = selectRemembered(name, config);
    try {
      validateDefaults(selection.provider, configCreateDefaults(selection), selection.choice);
    } catch (err) {
      if (err instanceof UsageError) throw new ConfigError(err.message);
      throw err;
    }
  }
}
