import { statSync } from "node:fs";
import { basename, dirname, extname, resolve } from "node:path";
import { ConfigError } from "../util/errors.js";
import { redact, registerSecret, urlPassword, urlSecrets } from "../util/redact.js";
import { shellQuote } from "../util/format.js";
import type { Env } from "../util/env.js";
import { resolveHome } from "./home.js";
import { readConfigIfPresent } from "./config-file.js";
import { searchConfig } from "./config-search.js";
import { couldFindConfig, PACKAGE_KEY } from "./quick-scan.js";
import type { GrokvidConfig } from "./schema.js";
import { checkUserConfigFiles } from "./user-files.js";

export interface LoadedConfig {
  config: GrokvidConfig;
  /** Where it came from, for messages; undefined when no file was found. */
  filepath: string | undefined;
  warnings: string[];
}

/** A key in a file other users can read is a key other users have. */
async function checkPermissions(filepath: string, config: GrokvidConfig): Promise<string[]> {
  const holdsKey =
    Object.values(config.providers ?? {}).some((p) => p?.apiKey !== undefined) ||
    Object.values(config.gateways ?? {}).some((g) => g.apiKey !== undefined);
  if (!holdsKey || process.platform === "win32") return [];
  const info = statSync(filepath, { throwIfNoEntry: false });
  if (!info || (info.mode & 0o077) === 0) return [];
  return [`${filepath} holds an API key and other users can read it; run: chmod 600 ${filepath}`];
}

/** The 1-based line of a character offset. */
function lineAt(content: string, position: number): number {
  return content.slice(0, position).split("\n").length;
}

/**
 * Parser messages quote the offending line, which may hold a key: only the file and the position
 * are kept. JSON parsers say "line N" or "position N", YAML "(line:column)".
 */
export function describeParseError(err: unknown, content?: string): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/ENOENT|no such file/i.test(text)) return "no such file";
  if (/EACCES|permission/i.test(text)) return "permission denied";
  // Any other file-system refusal (a symlink loop, a folder) is named by its code, not as bad syntax.
  const code = err && typeof err === "object" && "code" in err ? String(err.code) : "";
  if (/^E[A-Z]+$/.test(code)) return `cannot be read (${code})`;
  const position = /position (\d+)/i.exec(text)?.[1];
  const line =
    /line (\d+)/i.exec(text)?.[1] ??
    /\((\d+):\d+\)/.exec(text)?.[1] ??
    (position !== undefined && content !== undefined ? String(lineAt(content, Number(position))) : undefined);
  const where = line ? ` (line ${line})` : position ? ` (at character ${position})` : "";
  return `not valid JSON, YAML or JavaScript${where}`;
}

const EXECUTABLE = [".js", ".cjs", ".mjs", ".ts"] as const;

/** Whether a config file is JavaScript or TypeScript, which runs when it is read. */
export const runsCode = (filepath: string): boolean =>
  (EXECUTABLE as readonly string[]).includes(extname(filepath));

function untrusted(filepath: string, why: string): ConfigError {
  return new ConfigError(`config file ${filepath} is not trusted: ${why}`, {
    hint: `read it, and if you trust it run: grokvid config trust ${shellQuote(filepath)}`,
  });
}

/** A config file read on the way: the one found, and every file it `$import`s. */
export interface ReadFile {
  filepath: string;
  content: string;
}

/** JavaScript and TypeScript files run only when this allows (checked before the import). */
type MayRun = ((file: ReadFile) => Promise<void>) | undefined;

/** `$import` chains deeper than this are a mistake or a trap, not a configuration. */
const MAX_IMPORT_DEPTH = 8;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** cosmiconfig's `$import` merge: imported files first, the file's own keys over them, arrays joined. */
function merge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") continue;
    const old = Object.hasOwn(target, key) ? target[key] : undefined;
    if (Array.isArray(old) && Array.isArray(value)) target[key] = [...old, ...value];
    else if (isRecord(old) && isRecord(value)) target[key] = merge({ ...old }, value);
    else target[key] = value;
  }
  return target;
}

/** One file's content through cosmiconfig's loader for its kind (package.json: its `grokvideo` key). */
async function parseFile(file: ReadFile, mayRun: MayRun): Promise<unknown> {
  const ext = extname(file.filepath);
  if (runsCode(file.filepath)) {
    if (!mayRun) return {};
    await mayRun(file);
  }
  const { defaultLoaders } = await import("cosmiconfig");
  const load = (defaultLoaders as Record<string, (path: string, text: string) => unknown>)[ext || "noExt"];
  if (!load) throw new ConfigError(`config file ${file.filepath}: grokvid cannot read ${ext} files`);
  const value = await load(file.filepath, file.content);
  if (basename(file.filepath) !== "package.json") return value;
  return isRecord(value) && Object.hasOwn(value, PACKAGE_KEY) ? value[PACKAGE_KEY] : undefined;
}

function readOrThrow(filepath: string): string {
  const text = readConfigIfPresent(filepath);
  if (text === undefined) throw new ConfigError(`config file ${filepath} does not exist`);
  return text;
}

/**
 * A file and, through `$import` (a path or a list of paths, relative to the file), the files it
 * builds on, merged as cosmiconfig merges them. Every file read is recorded in `read`.
 */
async function loadWithImports(
  file: ReadFile,
  read: ReadFile[],
  mayRun: MayRun,
  stack: readonly string[] = [],
): Promise<unknown> {
  read.push(file);
  let value: unknown;
  try {
    value = await parseFile(file, mayRun);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(
      redact(`cannot read config file ${file.filepath}: ${describeParseError(err, file.content)}`),
    );
  }
  if (!isRecord(value) || !Object.hasOwn(value, "$import")) return value;
  const { $import: imports, ...own } = value;
  const paths: unknown[] = Array.isArray(imports) ? imports : [imports];
  const chain = [...stack, file.filepath];
  const merged: Record<string, unknown> = {};
  for (const path of paths) {
    if (typeof path !== "string" || path.trim() === "")
      throw new ConfigError(`config file ${file.filepath}: $import takes a file name or a list of them`);
    const full = resolve(dirname(file.filepath), path);
    if (chain.includes(full))
      throw new ConfigError(`config file ${file.filepath}: $import of ${full} goes round in a circle`);
    if (chain.length >= MAX_IMPORT_DEPTH)
      throw new ConfigError(
        `config file ${file.filepath}: $import goes more than ${MAX_IMPORT_DEPTH} files deep`,
      );
    const imported = await loadWithImports(
      { filepath: full, content: readOrThrow(full) },
      read,
      mayRun,
      chain,
    );
    if (isRecord(imported)) merge(merged, imported);
  }
  return merge(merged, own);
}

interface SearchResult {
  config: unknown;
  /** Undefined when no file was found. */
  filepath: string | undefined;
  warnings: string[];
}

/**
 * Loads the named file, or searches (config-search.ts): from `cwd` up to the home folder, then the
 * user config folders. Errors name the file and line; never its text (it may hold a key).
 */
async function searchOrLoad(
  read: ReadFile[],
  mayRun: MayRun,
  cwd: string,
  explicitPath: string | undefined,
  env: Env,
): Promise<SearchResult> {
  let found: ReadFile | undefined;
  let warnings: string[] = [];
  if (explicitPath !== undefined) {
    const filepath = resolve(cwd, explicitPath);
    found = { filepath, content: readOrThrow(filepath) };
  } else {
    checkUserConfigFiles(env);
    const outcome = searchConfig(cwd, env);
    warnings = outcome.warnings;
    if (outcome.found) found = { filepath: outcome.found.filepath, content: outcome.found.text };
  }
  if (!found) return { config: {}, filepath: undefined, warnings };
  const config = await loadWithImports(found, read, mayRun);
  return { config: config ?? {}, filepath: found.filepath, warnings };
}

/**
 * `explicitPath` comes from --config or GROKVID_CONFIG and is trusted as named; otherwise the
 * search runs from `cwd` up to the home folder, then the user config folders, and a file found on
 * the way that is not the user's own must be trusted (`grokvid config trust`) before its code runs
 * or its settings choose where a key goes or which key is used. Loaded lazily: most runs of --help
 * never need it.
 */
export async function loadConfig(
  explicitPath: string | undefined,
  cwd: string,
  env: Env,
): Promise<LoadedConfig> {
  // Most runs have no config file at all: they skip the loaders, the schema and the trust store.
  if (explicitPath === undefined && !couldFindConfig(cwd, env)) {
    return { config: {}, filepath: undefined, warnings: [] };
  }
  const [{ isUserConfig, keySettings, TrustStore }, { validateConfig }] = await Promise.all([
    import("./trust.js"),
    import("./validate.js"),
  ]);
  const store = new TrustStore(resolveHome(env));
  const projectLocal = (filepath: string) => explicitPath === undefined && !isUserConfig(filepath, env);
  const read: ReadFile[] = [];
  const result = await searchOrLoad(
    read,
    async ({ filepath, content }) => {
      if (projectLocal(filepath) && !(await store.isTrusted(filepath, content)))
        throw untrusted(filepath, "it is in this project and runs code");
    },
    cwd,
    explicitPath,
    env,
  );
  if (result.filepath === undefined) return { config: {}, filepath: undefined, warnings: result.warnings };
  const config = validateConfig(result.config, result.filepath);
  for (const secret of urlSecrets(config.journal?.url)) registerSecret(secret);
  // A password is a secret like a key: never in a file that travels with a project.
  if (projectLocal(result.filepath) && urlPassword(config.journal?.url) !== undefined)
    throw new ConfigError(
      `${result.filepath} puts a password in journal.url; a project's config never holds secrets`,
      { hint: "set GROKVID_JOURNAL_URL instead, or keep the password in ~/.pgpass or PGPASSWORD" },
    );
  const settings = keySettings(config);
  if (settings.length > 0 && projectLocal(result.filepath)) {
    // The file and everything it imports, as read now: an imported file changed since it was
    // trusted makes the whole config untrusted again.
    for (const file of read) {
      if (!projectLocal(file.filepath) || (await store.isTrusted(file.filepath, file.content))) continue;
      const via = file.filepath === result.filepath ? "" : ` (through ${file.filepath}, which it imports)`;
      throw untrusted(
        result.filepath,
        `it is in this project and sets where API keys go or which key is used (${settings.join(", ")})${via}`,
      );
    }
  }
  const warnings = [...result.warnings, ...(await checkPermissions(result.filepath, config))];
  return { config, filepath: result.filepath, warnings };
}

/**
 * `content` read as the config file `filepath` would be, its `$import`s relative to that file, and
 * validated: how `config edit` checks an edit it holds elsewhere. JSON and YAML: a JavaScript
 * loader imports the file at its path, whatever `content` says, so those are loaded where they are.
 */
export async function loadConfigText(filepath: string, content: string): Promise<GrokvidConfig> {
  const { validateConfig } = await import("./validate.js");
  return validateConfig((await loadWithImports({ filepath, content }, [], undefined)) ?? {}, filepath);
}

/**
 * The files a search from `cwd` (or loading `file`) would read, the found one first and every
 * import after it, without running any of them: what `grokvid config trust` records.
 */
export async function findConfigFiles(
  cwd: string,
  file?: string,
  env: Env = process.env,
): Promise<ReadFile[]> {
  const read: ReadFile[] = [];
  await searchOrLoad(read, undefined, cwd, file, env);
  return read;
}

/**
 * The config file as written, unvalidated, for shell completion: JSON and YAML are read, and no
 * JavaScript runs (a TAB press must never run a project's code). Anything that goes wrong, a
 * missing or broken file included, is "no config": completion answers with what it has.
 */
export async function peekConfig(explicitPath: string | undefined, cwd: string, env: Env): Promise<unknown> {
  if (explicitPath === undefined && !couldFindConfig(cwd, env)) return undefined;
  try {
    return (await searchOrLoad([], undefined, cwd, explicitPath, env)).config;
  } catch {
    return undefined;
  }
}
