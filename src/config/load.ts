import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { redact } from "../redact.js";
import { shellQuote } from "../util/format.js";
import { type Env, resolveHome } from "./resolve.js";
import { configSchema, type GrokvidConfig } from "./schema.js";
import { isUserConfig, routingSettings, TrustStore } from "./trust.js";

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

/** zod issues name the key path and what was expected; values (keys!) are never echoed. */
export function validateConfig(raw: unknown, filepath: string): GrokvidConfig {
  const parsed = configSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join(".") || "(top level)";
  const message =
    issue?.code === "unrecognized_keys" ? `unknown key ${issue.keys.join(", ")}` : issue?.message;
  throw new ConfigError(`config file ${filepath}: ${path}: ${message ?? "invalid"}`);
}

const EXECUTABLE = [".js", ".cjs", ".mjs", ".ts"] as const;

function untrusted(filepath: string, why: string): ConfigError {
  return new ConfigError(`config file ${filepath} is not trusted: ${why}`, {
    hint: `read it, and if you trust it run: grokvid config trust ${shellQuote(filepath)}`,
  });
}

async function makeExplorer(guard?: (filepath: string, content: string) => Promise<void>) {
  const { cosmiconfig, defaultLoaders } = await import("cosmiconfig");
  const loaders = Object.fromEntries(
    EXECUTABLE.map((ext) => [
      ext,
      guard
        ? async (filepath: string, content: string) => {
            // Checked before the file is imported: an untrusted file's code never runs.
            await guard(filepath, content);
            return defaultLoaders[ext](filepath, content);
          }
        : () => ({}),
    ]),
  );
  return cosmiconfig("grokvideo", { searchStrategy: "global", cache: false, loaders });
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
  const store = new TrustStore(resolveHome(env));
  const projectLocal = (filepath: string) => explicitPath === undefined && !isUserConfig(filepath, env);
  const explorer = await makeExplorer(async (filepath, content) => {
    if (projectLocal(filepath) && !(await store.isTrusted(filepath, content)))
      throw untrusted(filepath, "it is in this project and runs code");
  });
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
    const content = await readFile(result.filepath).catch(() => Buffer.alloc(0));
    if (!(await store.isTrusted(result.filepath, content)))
      throw untrusted(
        result.filepath,
        `it is in this project and sets where API keys go (${routing.join(", ")})`,
      );
  }
  return { config, filepath: result.filepath, warnings: await checkPermissions(result.filepath, config) };
}

/** The file a search from `cwd` would use, found without running any of them. */
export async function findConfigFile(cwd: string): Promise<string | undefined> {
  const explorer = await makeExplorer();
  try {
    return (await explorer.search(cwd))?.filepath;
  } catch (err) {
    throw new ConfigError(redact(`cannot read config file found by search: ${describeParseError(err)}`));
  }
}
