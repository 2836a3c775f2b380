import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { redact } from "../redact.js";
import { shellQuote } from "../util/format.js";
import { type Env, resolveHome } from "./resolve.js";
import {
  CONFIG_NAME,
  couldFindConfig,
  GLOBAL_PLACES,
  LEGACY_CONFIG_NAME,
  PACKAGE_KEY,
  SEARCH_PLACES,
  userConfigDirs,
} from "./quick-scan.js";
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
  const info = await stat(filepath).catch(() => undefined);
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

/** The file a failed read was on: the last one cosmiconfig handed to a loader, if any. */
function failedFile(
  read: readonly ReadFile[],
  named: string | undefined,
): { name: string; content?: string } {
  const last = read.at(-1);
  if (last) return { name: last.filepath, content: last.content };
  return { name: named ?? "found by search" };
}

const EXECUTABLE = [".js", ".cjs", ".mjs", ".ts"] as const;

function untrusted(filepath: string, why: string): ConfigError {
  return new ConfigError(`config file ${filepath} is not trusted: ${why}`, {
    hint: `read it, and if you trust it run: grokvid config trust ${shellQuote(filepath)}`,
  });
}

/** A file cosmiconfig read on the way: the one found, and every file it `$import`s. */
export interface ReadFile {
  filepath: string;
  content: string;
}

/**
 * The found file and what it imports: everything read from its own reading on (the search reads
 * other candidates before it, such as a package.json without a grokvideo key; those do not count).
 */
function readFrom(read: readonly ReadFile[], found: string): ReadFile[] {
  const at = read.map((f) => f.filepath).lastIndexOf(found);
  return at === -1 ? [] : read.slice(at);
}

/**
 * Every loader reports the file it reads (imports included, which is what a trust decision must
 * cover); JavaScript and TypeScript files run only when `mayRun` says so, checked before import.
 */
async function makeExplorer(
  onRead: (file: ReadFile) => void,
  mayRun: ((file: ReadFile) => Promise<void>) | undefined,
  legacyUserFolder = false,
) {
  const { cosmiconfig, defaultLoaders } = await import("cosmiconfig");
  const loaders = Object.fromEntries(
    Object.entries(defaultLoaders).map(([ext, load]) => [
      ext,
      async (filepath: string, content: string) => {
        onRead({ filepath, content });
        if (!(EXECUTABLE as readonly string[]).includes(ext)) return load(filepath, content);
        if (!mayRun) return {};
        await mayRun({ filepath, content });
        return load(filepath, content);
      },
    ]),
  );
  try {
    // The older name's user config folder is searched on its own, after everything else.
    return legacyUserFolder
      ? cosmiconfig(LEGACY_CONFIG_NAME, {
          searchStrategy: "none",
          searchPlaces: GLOBAL_PLACES,
          cache: false,
          loaders,
        })
      : cosmiconfig(CONFIG_NAME, {
          searchStrategy: "global",
          searchPlaces: SEARCH_PLACES,
          packageProp: PACKAGE_KEY,
          cache: false,
          loaders,
        });
  } catch (err) {
    // A cosmiconfig meta config (.config/config.json) in the working folder can be refused here.
    throw new ConfigError(
      redact(`cannot use the config search: ${err instanceof Error ? err.message : String(err)}`),
    );
  }
}

type SearchResult = { config: unknown; filepath: string } | null;

/**
 * Loads the named file, or searches: from `cwd` up to home and the `grokvid` user config folder,
 * then the `grokvideo` one. Errors name the file and line; never its text (it may hold a key).
 */
async function searchOrLoad(
  read: ReadFile[],
  mayRun: ((file: ReadFile) => Promise<void>) | undefined,
  cwd: string,
  explicitPath: string | undefined,
  env: Env,
): Promise<SearchResult> {
  try {
    const explorer = await makeExplorer((f) => read.push(f), mayRun);
    if (explicitPath !== undefined) return await explorer.load(resolve(cwd, explicitPath));
    checkUserConfigFiles(env);
    const found = await explorer.search(cwd);
    if (found) return found;
    const legacy = await makeExplorer((f) => read.push(f), mayRun, true);
    for (const dir of userConfigDirs(LEGACY_CONFIG_NAME, env)) {
      const old = await legacy.search(dir);
      if (old) return old;
    }
    return null;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const file = failedFile(read, explicitPath);
    throw new ConfigError(
      redact(`cannot read config file ${file.name}: ${describeParseError(err, file.content)}`),
    );
  }
}

/**
 * `explicitPath` comes from --config or GROKVID_CONFIG and is trusted as named; otherwise
 * cosmiconfig searches from `cwd` up to the home folder, then the user config folder, and a file
 * found on the way that is not the user's own must be trusted (`grokvid config trust`) before its
 * code runs or its base URLs are used. Loaded lazily: most runs of --help never need it.
 */
export async function loadConfig(
  explicitPath: string | undefined,
  cwd: string,
  env: Env,
): Promise<LoadedConfig> {
  // Most runs have no config file at all: they skip cosmiconfig, the schema and the trust store.
  if (explicitPath === undefined && !couldFindConfig(cwd, env)) {
    return { config: {}, filepath: undefined, warnings: [] };
  }
  const [{ isUserConfig, routingSettings, TrustStore }, { validateConfig }] = await Promise.all([
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
  if (!result) return { config: {}, filepath: undefined, warnings: [] };
  const config = validateConfig(result.config, result.filepath);
  const routing = routingSettings(config);
  if (routing.length > 0 && projectLocal(result.filepath)) {
    // The file and everything it imports, as read now: an imported file changed since it was
    // trusted makes the whole config untrusted again.
    for (const file of readFrom(read, result.filepath)) {
      if (!projectLocal(file.filepath) || (await store.isTrusted(file.filepath, file.content))) continue;
      const via = file.filepath === result.filepath ? "" : ` (through ${file.filepath}, which it imports)`;
      throw untrusted(
        result.filepath,
        `it is in this project and sets where API keys go (${routing.join(", ")})${via}`,
      );
    }
  }
  return { config, filepath: result.filepath, warnings: await checkPermissions(result.filepath, config) };
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
  const result = await searchOrLoad(read, undefined, cwd, file, env);
  return result ? readFrom(read, result.filepath) : [];
}

/**
 * The config file as written, unvalidated, for shell completion: JSON and YAML are read, and no
 * JavaScript runs (a TAB press must never run a project's code). Anything that goes wrong, a
 * missing or broken file included, is "no config": completion answers with what it has.
 */
export async function peekConfig(explicitPath: string | undefined, cwd: string, env: Env): Promise<unknown> {
  if (explicitPath === undefined && !couldFindConfig(cwd, env)) return undefined;
  try {
    if (explicitPath === undefined) checkUserConfigFiles(env);
    const explorer = await makeExplorer(() => {}, undefined);
    const result = explicitPath
      ? await explorer.load(resolve(cwd, explicitPath))
      : await explorer.search(cwd);
    return result?.config;
  } catch {
    return undefined;
  }
}
