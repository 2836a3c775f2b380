import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { ConfigFileProblem, readConfigText } from "./config-file.js";
import { CONFIG_NAMES, GLOBAL_PLACES, hasPackageKey, SEARCH_PLACES, userConfigDirs } from "./quick-scan.js";
import type { Env } from "../util/env.js";

/**
 * grokvid's own search for its config file: the names of quick-scan.ts in each folder from the
 * working folder up to the home folder (to the root when the working folder is outside it), then
 * the user config folders. It reads nothing else. cosmiconfig's own search is not used because
 * every `cosmiconfig()` explorer first imports a "meta config" (`.config/config.{js,cjs,mjs,ts}`
 * or a `cosmiconfig` key in package.json) from the process's working folder with its own loaders:
 * code from a cloned repository would run before any trust check, on every command and every TAB.
 */
export interface FoundConfig {
  filepath: string;
  text: string;
}

export interface SearchOutcome {
  found: FoundConfig | undefined;
  /** Files passed over that the user should hear of (another user's, a FIFO, ...), one line each. */
  warnings: string[];
}

/** The folders searched, in order, each with the names looked for in it. */
function* places(cwd: string, env: Env): Generator<string> {
  const home = resolve(env.HOME?.trim() || homedir());
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const place of SEARCH_PLACES) yield join(dir, place);
    if (dir === home || dirname(dir) === dir) break;
  }
  for (const name of CONFIG_NAMES)
    for (const dir of userConfigDirs(name, env)) for (const place of GLOBAL_PLACES) yield join(dir, place);
}

/**
 * The first config file a search from `cwd` finds: a name that exists, can be read as the user's
 * own plain file, is not empty (as cosmiconfig skips empty files), and, for a package.json, has
 * our key. A file that is there but cannot be used is passed over with a warning.
 */
export function searchConfig(cwd: string, env: Env): SearchOutcome {
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const filepath of places(cwd, env)) {
    if (seen.has(filepath)) continue;
    seen.add(filepath);
    let text: string;
    try {
      text = readConfigText(filepath);
    } catch (err) {
      if (!(err instanceof ConfigFileProblem)) throw err;
      if (!err.missing) warnings.push(`${err.message}; it was passed over`);
      continue;
    }
    if (text.trim() === "") continue;
    if (basename(filepath) === "package.json" && !hasPackageKey(text)) continue;
    return { found: { filepath, text }, warnings };
  }
  return { found: undefined, warnings };
}

/**
 * Every config file a search from `cwd` would find, in the order it looks: the first usable one is
 * the one used, the rest are not (what `doctor` lists). The same walk as searchConfig, so the two
 * never disagree about what is where.
 */
export function listConfigCandidates(cwd: string, env: Env): string[] {
  const found = new Set<string>();
  for (const filepath of places(cwd, env)) {
    if (found.has(filepath) || !existsSync(filepath)) continue;
    if (basename(filepath) === "package.json") {
      let text: string;
      try {
        text = readConfigText(filepath);
      } catch {
        continue;
      }
      if (!hasPackageKey(text)) continue;
    }
    found.add(filepath);
  }
  return [...found];
}

/**
 * The user's own config files, which need no trust: every name the search looks for in the home
 * folder itself and in the user config folders (~/.config/grokvid, ~/.config/grokvideo). Nothing
 * else under ~/.config counts: that is where people clone editor starters and dotfiles.
 */
export function userConfigPaths(env: Env): Set<string> {
  const home = resolve(env.HOME?.trim() || homedir());
  const paths = SEARCH_PLACES.map((place) => join(home, place));
  for (const name of CONFIG_NAMES)
    for (const dir of userConfigDirs(name, env))
      for (const place of GLOBAL_PLACES) paths.push(join(dir, place));
  return new Set(paths.map((p) => resolve(p)));
}
