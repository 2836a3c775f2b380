import { lstatSync } from "node:fs";
import { readStateFile } from "../files/state-file.js";
import { ConfigError } from "../util/errors.js";
import { registerSecret } from "../util/redact.js";
import type { Env } from "../util/env.js";
import { keysFilePath } from "./user-files.js";

/**
 * Keys set with `grokvid keys set` live in their own file, keys.json in the user config folder,
 * not in the config file. cosmiconfig uses the first config file it finds, whole, so a key
 * written into ~/.config/grokvid/config.json would vanish whenever a project has a .grokvidrc;
 * this file is read whichever config file is in use, and the config file stays safe to share.
 * Precedence, highest first: the environment, an apiKey in the config file in use, this file.
 * The file is 0600, created exclusively and replaced by rename (writeFileAtomic).
 */
export type StoredKeys = Record<string, string>;

/**
 * The file's one shape, a flat map of names to non-empty strings, checked by hand: this module is
 * on every real gateway call's start-up path, where loading zod costs a quarter of the start-up
 * (see util/zod.ts).
 */
function parseKeys(raw: unknown): StoredKeys | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  // No prototype: a gateway named `constructor` or `__proto__` must find no key, not Object's.
  const keys: StoredKeys = Object.create(null) as StoredKeys;
  for (const [name, value] of Object.entries(raw)) {
    if (name === "" || typeof value !== "string" || value.trim() === "") return undefined;
    keys[name] = value.trim();
  }
  return keys;
}

const MAX_BYTES = 1 << 20;
/** How refusals name the file (state-file.ts): "the keys file /x/keys.json is a FIFO, ...". */
export const KEYS_ROLE = "the keys file";
const cache = new Map<string, { stamp: string; keys: StoredKeys }>();

/** The stored keys by provider or gateway name; {} when there is no file. Every key is registered for redaction. */
export function readStoredKeys(env: Env): StoredKeys {
  const path = keysFilePath(env);
  // The name itself, not what a link there points at: a link is refused below, never followed.
  const info = lstatSync(path, { throwIfNoEntry: false });
  if (!info) return {};
  // A batch resolves a connection per job: the file is parsed once per change, not per job.
  const stamp = `${info.mtimeMs}:${info.size}:${info.ino}`;
  const cached = cache.get(path);
  if (cached?.stamp === stamp) return cached.keys;
  // Opened without following a link or blocking on a FIFO, and only if it is a regular file.
  const text = readStateFile(path, KEYS_ROLE, MAX_BYTES);
  if (text === undefined) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // The parser's message may quote a key: only the file is named.
    throw new ConfigError(`keys file ${path} is not valid JSON`, {
      hint: "fix or remove it, then run: grokvid keys set PROVIDER",
    });
  }
  const parsed = parseKeys(raw);
  if (!parsed) throw new ConfigError(`keys file ${path}: expected {"provider": "key", ...}`);
  for (const key of Object.values(parsed)) registerSecret(key);
  cache.set(path, { stamp, keys: parsed });
  return parsed;
}

/** Forgets what was read from `path`, after the file was replaced. */
export function forgetStoredKeys(path: string): void {
  cache.delete(path);
}

/**
 * Registers every stored key for redaction, for the error path: a key pasted where it does not
 * belong (an unknown option, a provider name) is masked even on a command that never read keys.
 * A missing or unreadable file registers nothing; that error is for the commands that need it.
 */
export function registerStoredSecrets(env: Env): void {
  try {
    readStoredKeys(env);
  } catch {
    // Nothing to register.
  }
}
