import { loadConfig } from "../../config/load.js";
import type { GrokvidConfig } from "../../config/schema.js";
import { registerSecret } from "../../util/redact.js";
import type { GatewayChoice, Reporter, Runtime } from "./context.js";

/** The configuration file a command runs with: --config, GROKVID_CONFIG, or the search. */
export async function loadSessionConfig(
  flags: GatewayChoice,
  runtime: Runtime,
  report: Reporter,
): Promise<GrokvidConfig> {
  const loaded = await loadConfig(flags.config ?? runtime.env.GROKVID_CONFIG, runtime.cwd, runtime.env);
  for (const w of loaded.warnings) report.warn(w);
  registerConfigSecrets(loaded.config);
  return loaded.config;
}

/** Every key of the config file, whether or not this command uses its provider. */
export function registerConfigSecrets(config: GrokvidConfig): void {
  for (const settings of Object.values(config.providers ?? {})) registerSecret(settings?.apiKey);
  for (const gateway of Object.values(config.gateways ?? {})) registerSecret(gateway.apiKey);
}
