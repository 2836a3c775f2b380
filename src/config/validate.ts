import { ConfigError } from "../errors.js";
import { configSchema, type GrokvidConfig } from "./schema.js";

/** zod issues name the key path and what was expected; values (keys!) are never echoed. */
export function validateConfig(raw: unknown, filepath: string): GrokvidConfig {
  const parsed = configSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join(".") || "(top level)";
  // A bad record key (a gateway's name) carries its reason one level down.
  const keyReason = issue?.code === "invalid_key" ? issue.issues[0]?.message : undefined;
  const message =
    issue?.code === "unrecognized_keys"
      ? `unknown key ${issue.keys.join(", ")}`
      : (keyReason ?? issue?.message);
  throw new ConfigError(`config file ${filepath}: ${path}: ${message ?? "invalid"}`);
}
