import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { writeFileAtomic } from "../core/safe-file.js";
import { registerSecret } from "../redact.js";
import { forgetStoredKeys, readStoredKeys } from "./keys-file.js";
import type { Env } from "./resolve.js";
import { keysFilePath } from "./user-files.js";

/**
 * Stores one provider's key: a fresh 0600 file written beside the old one and renamed over it.
 * Kept apart from keys-file.ts, which every gateway call loads: writing needs safe-file (and its
 * crypto), which a read never does.
 */
export async function storeKey(env: Env, name: string, key: string): Promise<string> {
  registerSecret(key);
  const path = keysFilePath(env);
  const keys = { ...readStoredKeys(env), [name]: key };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, `${JSON.stringify(keys, null, 2)}\n`, { force: true, mode: 0o600 });
  forgetStoredKeys(path);
  return path;
}
