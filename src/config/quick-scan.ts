import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import envPaths from "env-paths";
import { ConfigFileProblem, readConfigText } from "./config-file.js";
import type { Env } from "../util/env.js";

/**
 * The tool is `grokvid`, so `.grokvidrc`, `grokvid.config.js` and `~/.config/grokvid/` are its
 * names; the older `grokvideo` names keep working. Where both exist in one folder, the `grokvid`
 * file wins (it is listed first); the user config folder `grokvid` is searched before `grokvideo`.
 * A package.json is read for its `grokvideo` key (cosmiconfig reads one key per search).
 */
export const CONFIG_NAME = "grokvid";
export const LEGACY_CONFIG_NAME = "grokvideo";
export const PACKAGE_KEY = LEGACY_CONFIG_NAME;
export const CONFIG_NAMES = [CONFIG_NAME, LEGACY_CONFIG_NAME] as const;

const EXTENSIONS = ["", ".json", ".yaml", ".yml", ".js", ".ts", ".cjs", ".mjs"];

function placesFor(name: string): string[] {
  return [
    ...EXTENSIONS.map((ext) => `.${name}rc${ext}`),
    ...EXTENSIONS.map((ext) => `.config/${name}rc${ext}`),
    ...[".js", ".ts", ".cjs", ".mjs"].map((ext) => `${name}.config${ext}`),
  ];
}

/** Every name the search looks for in a folder, in the order it looks (a unit test holds it to cosmiconfig's). */
export const SEARCH_PLACES = ["package.json", ...CONFIG_NAMES.flatMap(placesFor)];
/** In a user config folder (~/.config/grokvid, then ~/.config/grokvideo). */
export const GLOBAL_PLACES = EXTENSIONS.map((ext) => `config${ext}`);
/** Whether a package.json's text has our key (cosmiconfig's place for a config in a package). */
export function hasPackageKey(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && Object.hasOwn(value, PACKAGE_KEY);
  } catch {
    return false;
  }
}

/**
 * Whether a package.json holds a config. Read like any config file (config-file.ts): a FIFO or
 * another user's file there is left to the search, which passes it over with a warning.
 */
function hasKey(file: string): boolean {
  try {
    return hasPackageKey(readConfigText(file));
  } catch (err) {
    return !(err instanceof ConfigFileProblem && err.missing);
  }
}

/**
 * The names in a folder, lower-cased (a superset of what a case-insensitive file system would
 * match); `missing` when there is no such folder, undefined when it cannot be listed.
 */
function namesIn(dir: string): Set<string> | "missing" | undefined {
  try {
    return new Set(readdirSync(dir).map((name) => name.toLowerCase()));
  } catch (err) {
    const code = err instanceof Error && "code" in err ? err.code : undefined;
    return code === "ENOENT" || code === "ENOTDIR" ? "missing" : undefined;
  }
}

/**
 * Whether each place is in a folder, as cosmiconfig would find it (existsSync follows symlinks),
 * asked of the folder's listing first: one readdir instead of a stat for each of the dozens of
 * places. A folder that cannot be listed has each place checked.
 */
function placesIn(dir: string): (place: string) => boolean {
  const names = namesIn(dir);
  const listings = new Map<string, ReturnType<typeof namesIn>>();
  const listed = (place: string): boolean => {
    if (names === "missing") return false;
    if (names === undefined) return true;
    const [first = place, ...rest] = place.toLowerCase().split("/");
    if (!names.has(first)) return false;
    if (rest.length === 0) return true;
    if (!listings.has(first)) listings.set(first, namesIn(join(dir, first)));
    const inner = listings.get(first);
    return inner === undefined || (inner !== "missing" && inner.has(rest.join("/")));
  };
  return (place) => {
    if (!listed(place)) return false;
    const file = join(dir, place);
    if (!existsSync(file)) return false;
    return place !== "package.json" || hasKey(file);
  };
}

function anyExists(dir: string, places: readonly string[]): boolean {
  return places.some(placesIn(dir));
}

/**
 * The user config folders of a name, as the given environment and as the process's own (which is
 * what cosmiconfig's search uses): both are looked at by the quick scan.
 */
export function userConfigDirs(name: string, env: Env): string[] {
  return [
    ...new Set([
      join(env.XDG_CONFIG_HOME?.trim() || join(env.HOME?.trim() || homedir(), ".config"), name),
      envPaths(name, { suffix: "" }).config,
    ]),
  ];
}

/**
 * Whether a config search from `cwd` could find anything, asked with a few dozen stat calls
 * instead of loading the parsers and zod. It looks in a superset of the places the search does
 * (every folder up to the root, not only up to home), so "no" is certain and "yes" means: really
 * search.
 */
export function couldFindConfig(cwd: string, env: Env): boolean {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (anyExists(dir, SEARCH_PLACES)) return true;
    if (dirname(dir) === dir) break;
  }
  const globalDirs = CONFIG_NAMES.flatMap((name) => userConfigDirs(name, env));
  return globalDirs.some((dir) => anyExists(dir, GLOBAL_PLACES));
}
