import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import * as z from "../util/zod.js";
import { withFileLock } from "../files/file-lock.js";
import { GrokvidError } from "../util/errors.js";
import { writeFileAtomic } from "../files/safe-file.js";
import { userConfigPaths } from "./config-search.js";
import { readStateFile } from "../files/state-file.js";
import type { Env } from "../util/env.js";
import type { GrokvidConfig } from "./schema.js";

/**
 * A config file found by searching up from the working folder may belong to a repository somebody
 * else wrote. Whatever in it decides where a key goes, or runs code, is honoured only once the
 * user trusts that exact content (as `direnv allow` and `mise trust` do): a changed file is
 * untrusted again. The user's own files (in the home folder itself or the user config folders) and
 * a file named by --config or GROKVID_CONFIG are trusted as they are.
 */
export const TRUST_FILE = "trusted-configs.json";

const storeSchema = z.record(z.string(), z.string());

export const hashContent = (content: string | Buffer): string =>
  createHash("sha256").update(content).digest("hex");

/** The user's own files (config-search.ts userConfigPaths): the home folder's and the user config folders'. */
export function isUserConfig(filepath: string, env: Env): boolean {
  return userConfigPaths(env).has(resolve(filepath));
}

/**
 * Key paths in `config` that decide where a key is sent or which key is used: a project file that
 * sets any of them could send the user's key elsewhere, or the user's prompts and images to
 * somebody else's account (its own apiKey beats the user's stored one).
 */
export function keySettings(config: GrokvidConfig): string[] {
  const providers = Object.entries(config.providers ?? {}).flatMap(([name, settings]) => [
    ...(settings?.baseUrl === undefined ? [] : [`providers.${name}.baseUrl`]),
    ...(settings?.apiKey === undefined ? [] : [`providers.${name}.apiKey`]),
  ]);
  // A gateway entry decides both where a key goes (baseUrl) and which key (keyEnv, apiKey).
  const gateways = Object.keys(config.gateways ?? {}).map((name) => `gateways.${name}`);
  // Where every job record (prompts, ids, paths) goes, and with which password.
  const journal = config.journal?.url === undefined ? [] : ["journal.url"];
  return [...providers, ...gateways, ...journal];
}

/** How refusals name the store (state-file.ts): "the trust store /x/trusted-configs.json is a FIFO...". */
const TRUST_ROLE = "the trust store";
/** A hash per trusted file: a megabyte is thousands of them. A larger file is not ours. */
const MAX_TRUST_BYTES = 1 << 20;

export class TrustStore {
  readonly path: string;

  constructor(stateDir: string) {
    this.path = join(stateDir, TRUST_FILE);
  }

  /**
   * What is trusted; {} when nothing is yet (or the store is not JSON of its shape: trust again).
   * Read as a state file: a FIFO, folder or link at its name is refused (exit 3), never waited on.
   */
  private read(): Record<string, string> {
    let text: string;
    try {
      text = readStateFile(this.path, TRUST_ROLE, MAX_TRUST_BYTES) ?? "{}";
    } catch (err) {
      // A store that cannot be read trusts nothing, as before; one that is not a file says so.
      if (err instanceof GrokvidError) throw err;
      text = "{}";
    }
    try {
      const parsed = storeSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  async isTrusted(filepath: string, content: string | Buffer): Promise<boolean> {
    return this.read()[filepath] === hashContent(content);
  }

  /**
   * Remembers this content of this file; written to a fresh file and renamed into place, under the
   * store's lock: two `config trust` at once would otherwise each drop the other's file.
   */
  async trust(filepath: string, content: string | Buffer): Promise<string> {
    const hash = hashContent(content);
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await withFileLock(this.path, TRUST_ROLE, async () => {
      const store = this.read();
      store[filepath] = hash;
      await writeFileAtomic(this.path, `${JSON.stringify(store, null, 2)}\n`, { force: true, mode: 0o600 });
    });
    return hash;
  }
}
