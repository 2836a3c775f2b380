import { existsSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_NAME, GLOBAL_PLACES, LEGACY_CONFIG_NAME, userConfigDirs } from "./quick-scan.js";
import type { Env } from "./resolve.js";

/** The user config folder grokvid writes to: ~/.config/grokvid (XDG_CONFIG_HOME honoured). */
export function userConfigDir(env: Env): string {
  const [dir] = userConfigDirs(CONFIG_NAME, env);
  return dir ?? join(".config", CONFIG_NAME);
}

/** Where `keys set` keeps keys: beside the user's config file, never inside a project. */
export function keysFilePath(env: Env): string {
  return join(userConfigDir(env), "keys.json");
}

/**
 * The user's own config file, which `config get|set|edit` work on: the first that exists of
 * ~/.config/grokvid/config{,.json,.yaml,...}, then the same in ~/.config/grokvideo (the search
 * reads them in this order too); else ~/.config/grokvid/config.json, to be created.
 */
export function userConfigFile(env: Env): string {
  for (const name of [CONFIG_NAME, LEGACY_CONFIG_NAME]) {
    const [dir] = userConfigDirs(name, env);
    if (dir === undefined) continue;
    for (const place of GLOBAL_PLACES) if (existsSync(join(dir, place))) return join(dir, place);
  }
  return join(userConfigDir(env), "config.json");
}
