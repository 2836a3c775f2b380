import { ConfigError } from "../util/errors.js";
import { didYouMean } from "../util/did-you-mean.js";
import { fieldsAt } from "./key-paths.js";
import { configSchema, type GrokvidConfig } from "./schema.js";

/** zod issues name the key path and what was expected; values (keys!) are never echoed. */
export function validateConfig(raw: unknown, filepath: string): GrokvidConfig {
  const parsed = configSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join(".") || "(top level)";
  // A bad record key (a gateway's name) carries its reason one level down.
  const keyReason = issue?.code === "invalid_key" ? issue.issues[0]?.message : undefined;
  // A misspelt key is the commonest mistake in a hand-written file: name the key it was meant to be.
  const hint = (key: string | undefined) =>
    issue === undefined || key === undefined ? "" : didYouMean(key, fieldsAt(issue.path));
  const message =
    issue?.code === "unrecognized_keys"
      ? `unknown key ${issue.keys.join(", ")}${hint(issue.keys[0])}`
      : (keyReason ?? issue?.message);
  throw new ConfigError(`config file ${filepath}: ${path}: ${message ?? "invalid"}`);
}
