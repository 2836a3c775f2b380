import { spawn } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join } from "node:path";
import { withFileLock } from "../files/file-lock.js";
import { createExclusiveFd, writeFileAtomic } from "../files/safe-file.js";
import { ConfigError, UsageError } from "../util/errors.js";
import { maskKey, maskUrl, registerSecret } from "../util/redact.js";
import { shellQuote } from "../util/format.js";
import { loadConfig, loadConfigText, runsCode } from "./load.js";
import type { Env } from "../util/env.js";
import { validateConfig } from "./validate.js";
import { splitKeyPath } from "./key-paths.js";
import type { GrokvidConfig } from "./schema.js";
import { readConfigIfPresent } from "./config-file.js";
import { userConfigFile } from "./user-files.js";

/**
 * `config get|set|unset|edit` work on the user's own config file (user-files.ts userConfigFile), never a
 * project's: a setting written there applies wherever no project file is found. Every change is
 * validated by the same schema as a load before the file is replaced (0600, by rename).
 */
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Every apiKey in a value, masked: `get` of a section never shows a key. */
function masked(value: unknown, key?: string): unknown {
  if (key === "apiKey" && typeof value === "string") return maskKey(value);
  // journal.url: its password (however written, however short) never shown.
  if (key === "url" && typeof value === "string") return maskUrl(value);
  if (Array.isArray(value)) return value.map((v) => masked(v));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, k)]));
  return value;
}

/**
 * The user config file, as loaded, and the value at a key path in it (apiKeys masked; undefined
 * when the file leaves it out). A file that does not exist yet is an empty one.
 */
export async function readSetting(
  env: Env,
  cwd: string,
  parts: readonly string[],
): Promise<{ file: string; config: GrokvidConfig; value: unknown }> {
  const file = userConfigFile(env);
  const { config } = statSync(file, { throwIfNoEntry: false })
    ? await loadConfig(file, cwd, env)
    : { config: {} };
  let value: unknown = config;
  for (const part of parts) value = isRecord(value) && Object.hasOwn(value, part) ? value[part] : undefined;
  return { file, config, value: value === undefined ? undefined : masked(value, parts.at(-1)) };
}

/** A command-line value as JSON when it reads as a number, boolean, array or object; else the text. */
function parseValue(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "string" || value === null ? text : value;
  } catch {
    return text;
  }
}

/**
 * The file a change replaces: the user config file, or the file it links to. Dotfiles managers
 * link ~/.config/grokvid/config.json into a repository; replacing the link with a plain file would
 * quietly cut the user's config off from their dotfiles.
 */
function writeTarget(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * The user config file's JSON, or {} when it does not exist yet; other formats are `edit`'s. Read
 * as any config file is (config-file.ts): a FIFO, a folder or another user's file is refused, exit 3.
 */
function readJson(file: string): Record<string, unknown> {
  const text = readConfigIfPresent(file) ?? "{}";
  if (![".json", ""].includes(extname(file)))
    throw new UsageError(`config set writes JSON, and ${file} is not: change it with grokvid config edit`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON (YAML?): change it with grokvid config edit`);
  }
  if (!isRecord(raw)) throw new ConfigError(`config file ${file}: (top level): expected an object`);
  return raw;
}

/** Whether a value, at any depth, holds an `apiKey` (as `{"apiKey": "..."}` under a provider would). */
function holdsKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsKey);
  return isRecord(value) && Object.entries(value).some(([k, v]) => k === "apiKey" || holdsKey(v));
}

/**
 * A check of the whole config a change would leave, beyond the schema (a provider's model limits,
 * which the use cases above this layer know); it throws to refuse the change. `keyPath` is what
 * changed; undefined for an edit, which may change anything.
 */
export type ChangeCheck = (config: GrokvidConfig, keyPath?: string) => void;

/** Sets `keyPath` to `value` in the user config file, validated first; the file is unchanged on error. */
export async function setSetting(
  env: Env,
  keyPath: string,
  text: string,
  check?: ChangeCheck,
): Promise<string> {
  // Checked before anything else, so no message about the path or the value can quote the key.
  const value = parseValue(text);
  if (keyPath.split(".").includes("apiKey") || holdsKey(value))
    throw new UsageError("a key is never taken from the command line; run: grokvid keys set PROVIDER");
  const parts = splitKeyPath(keyPath);
  const file = userConfigFile(env);
  const target = writeTarget(file);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Read, changed and replaced under the file's lock: two `config set` at once keep both settings.
  await withFileLock(target, "the config file", async () => {
    // Read through the user's name for it, so a message names the file the user knows.
    const raw = readJson(file);
    let node: Record<string, unknown> = raw;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      node = isRecord(next) ? next : (node[part] = {});
    }
    node[parts.at(-1) ?? keyPath] = value;
    check?.(validateConfig(raw, file), keyPath);
    await writeFileAtomic(target, `${JSON.stringify(raw, null, 2)}\n`, { force: true, mode: 0o600 });
  });
  return file;
}

/**
 * Takes the setting at `parts` (a key path the schema knows: key-paths.ts checkKeyPath) out of the
 * user config file, and any section it leaves empty, under the file's lock as `setSetting` changes
 * it. What is left is checked as a set is, so taking out a model that the defaults depended on is
 * refused. `removed` is false, and the file untouched, when the file did not set it.
 */
export async function unsetSetting(
  env: Env,
  parts: readonly string[],
  check?: ChangeCheck,
): Promise<{ file: string; removed: boolean }> {
  const file = userConfigFile(env);
  if (readConfigIfPresent(file) === undefined) return { file, removed: false };
  const target = writeTarget(file);
  const removed = await withFileLock(target, "the config file", async () => {
    const raw = readJson(file);
    const trail: Record<string, unknown>[] = [raw];
    for (const part of parts.slice(0, -1)) {
      const next = trail.at(-1)?.[part];
      if (!isRecord(next)) return false;
      trail.push(next);
    }
    const last = parts.at(-1) ?? "";
    if (!Object.hasOwn(trail.at(-1) ?? {}, last)) return false;
    delete trail.at(-1)?.[last];
    // The sections it leaves empty go too: `{"providers": {"apimart": {}}}` sets nothing.
    for (let i = trail.length - 1; i > 0 && Object.keys(trail[i] ?? {}).length === 0; i--)
      delete trail[i - 1]?.[parts[i - 1] ?? ""];
    check?.(validateConfig(raw, file), parts.join("."));
    await writeFileAtomic(target, `${JSON.stringify(raw, null, 2)}\n`, { force: true, mode: 0o600 });
    return true;
  });
  return { file, removed };
}

/**
 * Opens $VISUAL/$EDITOR (else vi) on a copy with the file's own name, so the same parser reads it;
 * the copy replaces the file only once it parses and validates. The copy lives in a folder of its
 * own in the system's temp folder (mkdtemp: 0700, a fresh name), never beside the file: a config
 * file linked into a dotfiles repository put the copy in the folder the user was working in.
 * The folder goes on every path but one: a bad edit is kept there, named, so no typing is lost.
 */
export async function editConfig(env: Env, cwd: string, check?: ChangeCheck): Promise<string> {
  const file = userConfigFile(env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const target = writeTarget(file);
  const dir = mkdtempSync(join(tmpdir(), "grokvid-edit-"));
  const copy = join(dir, basename(file));
  let keep = false;
  try {
    // Written through the exclusively created descriptor, so the copy stays 0600 whatever the file's mode.
    const fd = createExclusiveFd(copy, 0o600);
    try {
      writeFileSync(fd, readConfigIfPresent(target) ?? "{}\n");
    } finally {
      closeSync(fd);
    }
    const editor = env.VISUAL?.trim() || env.EDITOR?.trim() || "vi";
    // Ctrl-C reaches the editor too (one process group): it ends here, by its exit code or signal.
    const ended = await new Promise<number | string | null>((resolve, reject) => {
      const child = spawn(`${editor} ${shellQuote(copy)}`, {
        shell: true,
        stdio: "inherit",
        env: { ...env },
      });
      child.on("error", reject);
      child.on("close", (code, signal) => resolve(code ?? signal));
    });
    if (ended !== 0)
      throw new UsageError(`the editor (${editor}) exited with ${ended}; ${file} is unchanged`);
    const text = readConfigIfPresent(copy);
    if (text === undefined) throw new UsageError(`the editor (${editor}) left no file; ${file} is unchanged`);
    try {
      // JSON and YAML are read as the file itself would be, so a relative `$import` still works.
      const config = runsCode(file)
        ? validateConfig((await loadConfig(copy, cwd, env)).config, file)
        : await loadConfigText(file, text);
      check?.(config);
      for (const settings of Object.values(config.providers ?? {})) registerSecret(settings?.apiKey);
    } catch (err) {
      keep = true;
      const why = err instanceof Error ? err.message.replace(copy, file) : String(err);
      throw new ConfigError(`${why}; ${file} is unchanged, your edit is kept in ${copy}`);
    }
    // Not a rename: the temp folder may be on another file system than the file.
    await writeFileAtomic(target, text, { force: true, mode: 0o600 });
    return file;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
