import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { withFileLock } from "../files/file-lock.js";
import { writeFileAtomic } from "../files/safe-file.js";
import { registerSecret } from "../util/redact.js";
import { forgetStoredKeys, KEYS_ROLE, readStoredKeys } from "./keys-file.js";
import type { Env } from "../util/env.js";
import { keysFilePath } from "./user-files.js";

/**
 * Stores one provider's key: a fresh 0600 file written beside the old one and renamed over it,
 * under the file's lock, so `keys set` of two providers at once keeps both (without it, both read
 * the old file and the second rename dropped the first key while each said "stored").
 * Kept apart from keys-file.ts, which every gateway call loads: writing needs safe-file (and its
 * crypto), which a read never does.
 */
export async function storeKey(env: Env, name: string, key: string): Promise<string> {
  registerSecret(key);
  const path = keysFilePath(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return withFileLock(path, KEYS_ROLE, async () => {
    const keys = { ...readStoredKeys(env), [name]: key };
    await writeFileAtomic(path, `${JSON.stringify(keys, null, 2)}\n`, { force: true, mode: 0o600 });
    forgetStoredKeys(path);
    return path;
  });
}
