import { existsSync } from "node:fs";
import { join } from "node:path";
import { checkLinkedFile } from "../files/state-file.js";
import { CONFIG_NAME, GLOBAL_PLACES, LEGACY_CONFIG_NAME, userConfigDirs } from "./quick-scan.js";
import type { Env } from "../util/env.js";

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

/** A config file a person writes by hand; cosmiconfig reads it whole. */
const MAX_USER_CONFIG_BYTES = 1 << 20;

/**
 * Every config file in the user config folders is a regular file (a link to one is fine: dotfiles
 * managers make those): cosmiconfig reads the first it finds by following links, and a FIFO there
 * hung every command, a link to /dev/zero read forever. Checked before a search, exit 3 if not.
 */
export function checkUserConfigFiles(env: Env): void {
  for (const name of [CONFIG_NAME, LEGACY_CONFIG_NAME])
    for (const dir of userConfigDirs(name, env))
      for (const place of GLOBAL_PLACES)
        checkLinkedFile(join(dir, place), "the config file", MAX_USER_CONFIG_BYTES);
}
