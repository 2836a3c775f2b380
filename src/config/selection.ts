import type { ProviderId, ProviderSpec } from "../providers/types.js";
import type { GatewayDefinition } from "./gateway-schema.js";
import type { ProviderSettings } from "./schema.js";

export interface ProviderSelection {
  /** What the user chose: a built-in provider, `sandbox`, or a gateway from the config. */
  choice: string;
  /** The built-in module spoken: the sandbox speaks apimart's; a gateway its dialect's. */
  dialect: ProviderId;
  /**
   * Its requests and model limits; the parsers of its answers come with the gateway a command
   * sends to (config/gateway-provider.ts providerOf).
   */
  provider: ProviderSpec;
  /** A gateway from the config: its entry. */
  gateway?: GatewayDefinition;
  /** Its settings in the config file and their key path, for messages ("gateways.my-proxy"). */
  settings: ProviderSettings | undefined;
  settingsPath: string;
  /** The environment variable of its key, by default GROKVID_<NAME>_API_KEY. */
  keyVariable: string;
  /** The dialect as the user names it (`openai-videos` for a new-api gateway). */
  settingsDialect: string;
}
