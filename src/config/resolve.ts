import envPaths from "env-paths";
import {
  DEFAULT_LOW_SPEED,
  DEFAULT_TIMEOUTS,
  type HttpTimeouts,
  type LowSpeedLimit,
} from "../http/client.js";
import type { Sourced } from "../core/validate-create.js";
import { ConfigError, UsageError } from "../errors.js";
import { providers } from "../providers/registry.js";
import type { ProviderId } from "../providers/types.js";
import { registerSecret } from "../redact.js";
import { parseDuration } from "../util/duration.js";
import { MIN_INTERVAL_MS, type ProviderChoice, providerChoices } from "./choices.js";
import type { GrokvidConfig } from "./schema.js";

export type Env = Readonly<Record<string, string | undefined>>;

export interface ProviderSelection {
  /** What the user chose (`sandbox` included). */
  choice: ProviderChoice;
  /** The dialect spoken: the sandbox speaks apimart's. */
  dialect: ProviderId;
}

/** GROKVID_<NAME>_API_KEY; a gateway name's dashes become underscores (my-proxy: GROKVID_MY_PROXY_API_KEY). */
export function keyVariable(choice: string): string {
  return `GROKVID_${choice.toUpperCase().replace(/-/g, "_")}_API_KEY`;
}

function isChoice(value: string): value is ProviderChoice {
  return (providerChoices as readonly string[]).includes(value);
}

/** Where the journal and other state live: GROKVID_HOME, else the platform's data folder. */
export function resolveHome(env: Env): string {
  const home = env.GROKVID_HOME?.trim();
  return home ? home : envPaths("grokvid", { suffix: "" }).data;
}

/** A provider name read back from the journal, checked like a flag would be. */
export function selectRemembered(provider: string): ProviderSelection {
  if (!isChoice(provider)) throw new UsageError(`the journal names an unknown provider "${provider}"`);
  return { choice: provider, dialect: provider === "sandbox" ? "apimart" : provider };
}

/** Flag, then GROKVID_PROVIDER, then the config file's defaultProvider. */
export function selectProvider(flag: string | undefined, env: Env, config: GrokvidConfig): ProviderSelection {
  // An empty variable means "not set", as for keys and base URLs.
  const fromEnv = env.GROKVID_PROVIDER?.trim() || undefined;
  const raw = flag ?? fromEnv ?? config.defaultProvider;
  if (raw === undefined) {
    throw new UsageError(
      `no provider chosen; pass --provider (${providerChoices.join(", ")}) or set GROKVID_PROVIDER`,
    );
  }
  const choice = raw.trim().toLowerCase();
  if (!isChoice(choice)) {
    const from =
      flag !== undefined ? "--provider" : fromEnv !== undefined ? "GROKVID_PROVIDER" : "defaultProvider";
    throw new UsageError(`${from} ${raw} is not a known provider; accepted: ${providerChoices.join(", ")}`);
  }
  return { choice, dialect: choice === "sandbox" ? "apimart" : choice };
}

export interface Connection {
  baseUrl: string;
  apiKey: string;
  keyVariable: string;
}

function checkUrl(value: string, from: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new UsageError(`${from} must be an http(s) URL`);
  }
  return value;
}

/**
 * Base URL and key for a real gateway: flags, then the base URL the journal remembers for the job,
 * then environment, then config, then built-in defaults. A missing key is a configuration error
 * (exit 3) and every key found is registered for redaction.
 */
export function resolveConnection(
  selection: ProviderSelection,
  baseUrlFlag: string | undefined,
  env: Env,
  config: GrokvidConfig,
  rememberedBaseUrl?: string,
  options: { allowMissingKey?: boolean } = {},
): Connection {
  const id = selection.dialect;
  const upper = id.toUpperCase();
  const fileSettings = config.providers?.[id];
  const own = keyVariable(id);
  const ecosystem = providers[id].ecosystemKeyVariable;
  const ecosystemKey = ecosystem === undefined ? undefined : env[ecosystem]?.trim();
  // GROKVID_<ID>_API_KEY first, then the variable the provider's own tools read (XAI_API_KEY).
  const variable = !env[own]?.trim() && ecosystemKey && ecosystem ? ecosystem : own;
  const envKey = env[variable]?.trim();
  const apiKey = envKey || fileSettings?.apiKey;
  registerSecret(envKey);
  registerSecret(ecosystemKey);
  registerSecret(fileSettings?.apiKey);
  const baseUrl =
    (baseUrlFlag !== undefined ? checkUrl(baseUrlFlag, "--base-url") : undefined) ??
    rememberedBaseUrl ??
    (env[`GROKVID_${upper}_BASE_URL`]
      ? checkUrl(env[`GROKVID_${upper}_BASE_URL`] ?? "", `GROKVID_${upper}_BASE_URL`)
      : undefined) ??
    fileSettings?.baseUrl ??
    providers[id].defaultBaseUrl;
  // --dry-run shows the request a user is about to configure, so it works before the key is set.
  if (!apiKey && options.allowMissingKey) return { baseUrl, apiKey: "", keyVariable: variable };
  if (!apiKey) {
    throw new ConfigError(`no API key for ${id}`, {
      hint: `set ${own}${ecosystem ? ` (or ${ecosystem})` : ""} or providers.${id}.apiKey in a config file (see .grokvideorc.example)`,
    });
  }
  return { baseUrl, apiKey, keyVariable: variable };
}

export interface CreateDefaults {
  model?: Sourced<string>;
  duration?: Sourced<string | number>;
  ratio?: Sourced<string>;
  resolution?: Sourced<string | number>;
}

/** Per-provider defaults from the config file, labelled with their key path for error messages. */
export function configCreateDefaults(id: ProviderId, config: GrokvidConfig): CreateDefaults {
  const s = config.providers?.[id];
  const at = (key: string) => `providers.${id}.${key}`;
  const out: CreateDefaults = {};
  if (s?.model !== undefined) out.model = { value: s.model, configKey: at("model") };
  const d = s?.defaults;
  if (d?.duration !== undefined) out.duration = { value: d.duration, configKey: at("defaults.duration") };
  if (d?.ratio !== undefined) out.ratio = { value: d.ratio, configKey: at("defaults.ratio") };
  if (d?.resolution !== undefined)
    out.resolution = { value: d.resolution, configKey: at("defaults.resolution") };
  return out;
}

export const POLL_DEFAULTS = { interval: "5s", timeout: "30m" } as const;

const MAX_INTERVAL_MS = 3_600_000;

/** Sandbox jobs take seconds, not minutes: poll it often so the demo shows each state. */
export const SANDBOX_INTERVAL = "1s";

export function resolvePoll(
  flags: { interval?: string; timeout?: string },
  config: GrokvidConfig,
  provider?: string,
): { intervalMs: number; timeoutMs: number } {
  const read = (
    flag: string | undefined,
    setting: string | number | undefined,
    fallback: string,
    name: string,
  ) => {
    const ms = parseDuration(flag ?? setting ?? fallback);
    if (ms === undefined) {
      throw new UsageError(
        `--${name} ${flag} is not a duration; use e.g. 250ms, 5s, 2m, 1h or a number of seconds`,
      );
    }
    return ms;
  };
  const fallback = provider === "sandbox" ? SANDBOX_INTERVAL : POLL_DEFAULTS.interval;
  const intervalMs = read(flags.interval, config.poll?.interval, fallback, "interval");
  // The config file's value was checked against the same floor when it was loaded.
  if (intervalMs < MIN_INTERVAL_MS) throw new UsageError(`--interval must be at least ${MIN_INTERVAL_MS}ms`);
  if (intervalMs > MAX_INTERVAL_MS) throw new UsageError("--interval must be at most 1h");
  return {
    intervalMs,
    timeoutMs: read(flags.timeout, config.poll?.timeout, POLL_DEFAULTS.timeout, "timeout"),
  };
}

/** Connect, first-byte and between-chunks timeouts; each may be set under `timeouts` in the config. */
export function resolveTimeouts(config: GrokvidConfig): HttpTimeouts {
  const t = config.timeouts;
  const read = (v: string | number | undefined, fallback: number) =>
    v === undefined ? fallback : (parseDuration(v) ?? fallback);
  return {
    connectMs: read(t?.connect, DEFAULT_TIMEOUTS.connectMs),
    headersMs: read(t?.headers, DEFAULT_TIMEOUTS.headersMs),
    bodyMs: read(t?.body, DEFAULT_TIMEOUTS.bodyMs),
  };
}

/** The download low-speed limit: `download.lowSpeed` in the config, else DEFAULT_LOW_SPEED. */
export function resolveLowSpeed(config: GrokvidConfig): LowSpeedLimit {
  const s = config.download?.lowSpeed;
  const time = s?.time === undefined ? undefined : parseDuration(s.time);
  return {
    bytesPerSecond: s?.bytesPerSecond ?? DEFAULT_LOW_SPEED.bytesPerSecond,
    windowMs: time ?? DEFAULT_LOW_SPEED.windowMs,
  };
}
