import { registerStoredSecrets } from "../config/keys-file.js";
import { registerEnvSecrets } from "../util/redact.js";
import { safeText } from "../ui/output.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Before an error is printed, every key grokvid could know of is registered for redaction: the
 * environment's and the keys file's. An error can come before any command read either (commander
 * refusing the line), and a key pasted in the wrong place (a provider name, a stray argument)
 * must come back masked.
 */
export function registerKnownSecrets(env: Env): void {
  registerEnvSecrets(env);
  registerStoredSecrets(env);
}

/**
 * commander's own error text, safe to print. It echoes an unknown option with whatever was glued
 * to it (`--api-key=sk-...`), which is most often a key a user meant to pass: the value is dropped,
 * the option named.
 */
export function safeCommanderText(text: string, env: Env): string {
  registerKnownSecrets(env);
  return safeText(text.replace(/(unknown option '[^'=]*)=[^']*'/g, "$1'"));
}
