import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import envPaths from "env-paths";
import type { Env } from "./resolve.js";

/** The name cosmiconfig searches for: `.grokvideorc`, `grokvideo.config.js`, `package.json#grokvideo`. */
export const CONFIG_NAME = "grokvideo";

const EXTENSIONS = ["", ".json", ".yaml", ".yml", ".js", ".ts", ".cjs", ".mjs"];

/** Every name cosmiconfig's default search looks for in a folder (a unit test holds it to that). */
export const SEARCH_PLACES = [
  "package.json",
  ...EXTENSIONS.map((ext) => `.${CONFIG_NAME}rc${ext}`),
  ...EXTENSIONS.map((ext) => `.config/${CONFIG_NAME}rc${ext}`),
  ...[".js", ".ts", ".cjs", ".mjs"].map((ext) => `${CONFIG_NAME}.config${ext}`),
];
/** In the global config folder (~/.config/grokvideo). */
export const GLOBAL_PLACES = EXTENSIONS.map((ext) => `config${ext}`);
/** cosmiconfig's own meta config, read from the working folder, may add search places. */
export const META_PLACES = [
  "package.json",
  "package.yaml",
  ...EXTENSIONS.slice(1).map((e) => `.config/config${e}`),
];

/** Whether a package.json has one of these top-level keys (where cosmiconfig reads a config). */
function hasKey(file: string, keys: readonly string[]): boolean {
  try {
    const value: unknown = JSON.parse(readFileSync(file, "utf8"));
    return typeof value === "object" && value !== null && keys.some((k) => Object.hasOwn(value, k));
  } catch {
    // Unreadable or not JSON: let cosmiconfig look at it and say what is wrong.
    return true;
  }
}

function anyExists(dir: string, places: readonly string[], packageKeys: readonly string[]): boolean {
  return places.some((place) => {
    const file = join(dir, place);
    if (!existsSync(file)) return false;
    return place !== "package.json" || hasKey(file, packageKeys);
  });
}

/**
 * Whether a config search from `cwd` could find anything, asked with a few dozen stat calls
 * instead of loading cosmiconfig, its parsers and zod. It looks in a superset of the places
 * cosmiconfig does (every folder up to the root, not only up to home; both the process's and
 * the given environment's config folders), so "no" is certain and "yes" means: really search.
 */
export function couldFindConfig(cwd: string, env: Env): boolean {
  const metaDirs = new Set([process.cwd(), resolve(cwd)]);
  for (const dir of metaDirs) if (anyExists(dir, META_PLACES, ["cosmiconfig"])) return true;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (anyExists(dir, SEARCH_PLACES, [CONFIG_NAME])) return true;
    if (dirname(dir) === dir) break;
  }
  const globalDirs = new Set([
    envPaths(CONFIG_NAME, { suffix: "" }).config,
    join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? homedir(), ".config"), CONFIG_NAME),
  ]);
  return [...globalDirs].some((dir) => anyExists(dir, GLOBAL_PLACES, []));
}
