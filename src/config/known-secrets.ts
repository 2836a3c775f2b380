import type { Env } from "../util/env.js";
import { registerEnvSecrets } from "../util/redact.js";
import { registerStoredSecrets } from "./keys-file.js";

/**
 * Registers for redaction every key grokvid could know of: the environment's and the keys file's.
 * For whatever prints an error that may come before any command read a key (a command line
 * refused, a key pasted as a provider name): it comes back masked.
 */
export function registerKnownSecrets(env: Env): void {
  registerEnvSecrets(env);
  registerStoredSecrets(env);
}
