import { registerKnownSecrets } from "../index.js";
import type { Env } from "../util/env.js";
import { safeText } from "../ui/output.js";

/**
 * commander's own error text, safe to print. It echoes an unknown option with whatever was glued
 * to it (`--api-key=sk-...`), which is most often a key a user meant to pass: the value is dropped,
 * the option named.
 */
export function safeCommanderText(text: string, env: Env): string {
  registerKnownSecrets(env);
  return safeText(text.replace(/(unknown option '[^'=]*)=[^']*'/g, "$1'"));
}
