import { ConfigError } from "../util/errors.js";
import { didYouMean } from "../util/did-you-mean.js";
import { configSchema, type GrokvidConfig } from "./schema.js";

/** The object fields a zod schema node holds, seen through optional, record and refined wrappers. */
function fieldsOf(node: unknown, path: readonly PropertyKey[]): string[] {
  let here: unknown = node;
  const step = (key: PropertyKey | undefined): boolean => {
    for (let unwrap = 0; unwrap < 8; unwrap++) {
      const def: unknown = typeof here === "object" && here !== null && "def" in here ? here.def : undefined;
      if (typeof def !== "object" || def === null) return false;
      if ("innerType" in def) here = def.innerType;
      else if ("in" in def && "out" in def) here = def.in;
      else if ("valueType" in def && key !== undefined) {
        here = def.valueType;
        return true;
      } else if ("shape" in def && typeof def.shape === "object" && def.shape !== null) {
        if (key === undefined) return true;
        here = Object.hasOwn(def.shape, key)
          ? Object.getOwnPropertyDescriptor(def.shape, key)?.value
          : undefined;
        return here !== undefined;
      } else return false;
    }
    return false;
  };
  for (const key of path) if (!step(key)) return [];
  if (!step(undefined)) return [];
  const def: unknown = typeof here === "object" && here !== null && "def" in here ? here.def : undefined;
  return typeof def === "object" &&
    def !== null &&
    "shape" in def &&
    typeof def.shape === "object" &&
    def.shape
    ? Object.keys(def.shape)
    : [];
}

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
    issue === undefined || key === undefined ? "" : didYouMean(key, fieldsOf(configSchema, issue.path));
  const message =
    issue?.code === "unrecognized_keys"
      ? `unknown key ${issue.keys.join(", ")}${hint(issue.keys[0])}`
      : (keyReason ?? issue?.message);
  throw new ConfigError(`config file ${filepath}: ${path}: ${message ?? "invalid"}`);
}
