import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { redact } from "../redact.js";
import { shellQuote } from "../util/format.js";
import { type Env, resolveHome } from "./resolve.js";
import { CONFIG_NAME, couldFindConfig } from "./quick-scan.js";
import type { GrokvidConfig } from "./schema.js";

export interface LoadedConfig {
  config: GrokvidConfig;
  /** Where it came from, for messages; undefined when no file was found. */
  filepath: string | undefined;
  warnings: string[];
}

/** A key in a file other users can read is a key other users have. */
async function checkPermissions(filepath: string, config: GrokvidConfig): Promise<string[]> {
  const holdsKey = Object.values(config.providers ?? {}).some((p) => p?.apiKey !== undefined);
  if (!holdsKey || process.platform === "win32") return [];
  const info = await stat(filepath).catch(() => undefined);
  if (!info || (info.mode & 0o077) === 0) return [];
  return [`${filepath} holds an API key and other users can read it; run: chmod 600 ${filepath}`];
}

/**
 * Parser messages quote the offending line, which may hold a key: only the position is kept.
 */
function describeParseError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/ENOENT|no such file/i.test(text)) return "no such file";
  if (/EACCES|permission/i.test(text)) return "permission denied";
  // Any other file-system refusal (a symlink loop, a folder) is named by its code, not as bad syntax.
  const code = err && typeof err === "object" && "code" in err ? String(err.code) : "";
  if (/^E[A-Z]+$/.test(code)) return `cannot be read (${code})`;
  const line = /line (\d+)/i.exec(text)?.[1];
  const position = /position (\d+)/i.exec(text)?.[1];
  const where = line ? ` (line ${line})` : position ? ` (at character ${position})` : "";
  return `not valid JSON, YAML or JavaScript${where}`;
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
    return cosmiconfig(CONFIG_NAME, { searchStrategy: "global", cache: false, loaders });
  } catch (err) {
    // A cosmiconfig meta config (.config/config.json) in the working folder can be refused here.
    throw new ConfigError(
      redact(`cannot use the config search: ${err instanceof Error ? err.message : String(err)}`),
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
  const explorer = await makeExplorer(
    (file) => read.push(file),
    async ({ filepath, content }) => {
      if (projectLocal(filepath) && !(await store.isTrusted(filepath, content)))
        throw untrusted(filepath, "it is in this project and runs code");
    },
  );
  let result: Awaited<ReturnType<typeof explorer.search>>;
  try {
    result = explicitPath ? await explorer.load(resolve(cwd, explicitPath)) : await explorer.search(cwd);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const file = explicitPath ?? "found by search";
    throw new ConfigError(redact(`cannot read config file ${file}: ${describeParseError(err)}`));
  }
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
export async function findConfigFiles(cwd: string, file?: string): Promise<ReadFile[]> {
  const read: ReadFile[] = [];
  const explorer = await makeExplorer((f) => read.push(f), undefined);
  try {
    const result = file === undefined ? await explorer.search(cwd) : await explorer.load(resolve(cwd, file));
    if (!result) return [];
    return readFrom(read, result.filepath);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(
      redact(`cannot read config file ${file ?? "found by search"}: ${describeParseError(err)}`),
    );
  }
}

/**
 * The config file as written, unvalidated, for shell completion: JSON and YAML are read, and no
 * JavaScript runs (a TAB press must never run a project's code). Anything that goes wrong, a
 * missing or broken file included, is "no config": completion answers with what it has.
 */
export async function peekConfig(explicitPath: string | undefined, cwd: string, env: Env): Promise<unknown> {
  if (explicitPath === undefined && !couldFindConfig(cwd, env)) return undefined;
  try {
    const explorer = await makeExplorer(() => {}, undefined);
    const result = explicitPath
      ? await explorer.load(resolve(cwd, explicitPath))
      : await explorer.search(cwd);
    return result?.config;
  } catch {
    return undefined;
  }
}
