import { stat } from "node:fs/promises";
import { ConfigError } from "../errors.js";
import { redact } from "../redact.js";
import { configSchema, type GrokvidConfig } from "./schema.js";

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

/**
 * `explicitPath` comes from --config or GROKVID_CONFIG; otherwise cosmiconfig searches from `cwd`
 * up to the home folder, then the user config folder. Loaded lazily: most runs of --help never need it.
 */
export async function loadConfig(explicitPath: string | undefined, cwd: string): Promise<LoadedConfig> {
  const { cosmiconfig } = await import("cosmiconfig");
  const explorer = cosmiconfig("grokvideo", { searchStrategy: "global", cache: false });
  let result: Awaited<ReturnType<typeof explorer.search>>;
  try {
    result = explicitPath ? await explorer.load(explicitPath) : await explorer.search(cwd);
  } catch (err) {
    const file = explicitPath ?? "found by search";
    throw new ConfigError(redact(`cannot read config file ${file}: ${describeParseError(err)}`));
  }
  if (!result) return { config: {}, filepath: undefined, warnings: [] };
  const config = validateConfig(result.config, result.filepath);
  return { config, filepath: result.filepath, warnings: await checkPermissions(result.filepath, config) };
}
