import {
  DEFAULT_LOW_SPEED,
  DEFAULT_TIMEOUTS,
  type HttpTimeouts,
  type LowSpeedLimit,
} from "../http/limits.js";
import type { Sourced } from "./sourced.js";
import { ConfigError, UsageError } from "../util/errors.js";
import { providerSpecs } from "../providers/specs.js";
import type { ProviderId, ProviderSpec } from "../providers/types.js";
import { DIALECT_MODULES, makeGatewaySpec } from "./gateway-spec.js";
import type { GatewayDefinition } from "./gateway-schema.js";
import { didYouMean } from "../util/did-you-mean.js";
import { baseUrlProblem } from "./base-url.js";
import { findKey, type KeySource, storedKeyName } from "./key-source.js";
import { userConfigFile } from "./user-files.js";
import { parseDuration } from "../util/duration.js";
import { MIN_INTERVAL_MS, type ProviderChoice, providerChoices } from "./choices.js";
import type { GrokvidConfig } from "./schema.js";

import type { Env } from "../util/env.js";
import type { ProviderSelection } from "./selection.js";

export type { Env } from "../util/env.js";
export type { ProviderSelection } from "./selection.js";
export { resolveHome } from "./home.js";

function builtIn(choice: ProviderChoice, config: GrokvidConfig): ProviderSelection {
  // Only the sandbox is named apart from the module it speaks.
  const dialect = choice === "sandbox" ? "apimart" : choice;
  return {
    choice,
    dialect,
    provider: providerSpecs[dialect],
    settings: config.providers?.[dialect],
    settingsPath: `providers.${dialect}`,
    keyVariable: keyVariable(dialect),
    settingsDialect: dialect,
  };
}

function configured(name: string, def: GatewayDefinition): ProviderSelection {
  return {
    choice: name,
    dialect: DIALECT_MODULES[def.dialect],
    provider: makeGatewaySpec(name, def),
    gateway: def,
    settings: def,
    settingsPath: `gateways.${name}`,
    keyVariable: def.keyEnv ?? keyVariable(name),
    settingsDialect: def.dialect,
  };
}

/** Every name --provider accepts with this config: the built-ins, then its gateways. */
export function acceptedProviders(config: GrokvidConfig): string[] {
  return [...providerChoices, ...Object.keys(config.gateways ?? {})];
}

function byName(name: string, config: GrokvidConfig): ProviderSelection | undefined {
  if (isChoice(name)) return builtIn(name, config);
  const def = Object.hasOwn(config.gateways ?? {}, name) ? config.gateways?.[name] : undefined;
  return def ? configured(name, def) : undefined;
}

/** GROKVID_<NAME>_API_KEY; a gateway name's dashes become underscores (my-proxy: GROKVID_MY_PROXY_API_KEY). */
export function keyVariable(choice: string): string {
  return `GROKVID_${choice.toUpperCase().replace(/-/g, "_")}_API_KEY`;
}

function isChoice(value: string): value is ProviderChoice {
  return (providerChoices as readonly string[]).includes(value);
}

/** A provider name read back from the journal, checked like a flag would be. */
export function selectRemembered(provider: string, config: GrokvidConfig): ProviderSelection {
  const found = byName(provider, config);
  if (!found) {
    throw new UsageError(
      `the journal names an unknown provider "${provider}"${isChoice(provider) ? "" : " (a gateway no longer in the config?)"}`,
    );
  }
  return found;
}

/** Flag, then GROKVID_PROVIDER, then the config file's defaultProvider. */
export function selectProvider(flag: string | undefined, env: Env, config: GrokvidConfig): ProviderSelection {
  // An empty variable means "not set", as for keys and base URLs.
  const fromEnv = env.GROKVID_PROVIDER?.trim() || undefined;
  const raw = flag ?? fromEnv ?? config.defaultProvider;
  const names = acceptedProviders(config);
  const accepted = names.join(", ");
  if (raw === undefined) {
    throw new UsageError(`no provider chosen; pass --provider (${accepted}) or set GROKVID_PROVIDER`);
  }
  const found = byName(raw.trim().toLowerCase(), config);
  if (!found) {
    const from =
      flag !== undefined ? "--provider" : fromEnv !== undefined ? "GROKVID_PROVIDER" : "defaultProvider";
    throw new UsageError(
      `${from} ${raw} is not a known provider; accepted: ${accepted}${didYouMean(raw, names)}`,
    );
  }
  return found;
}

export interface Connection {
  baseUrl: string;
  apiKey: string;
  keyVariable: string;
  /** What to check when the gateway rejects the key: the place it was really read from. */
  keyHint?: string;
}

function checkUrl(value: string, from: string): string {
  const problem = baseUrlProblem(value);
  if (problem) throw new UsageError(`${from} ${problem}`);
  return value;
}

/** The base URL the journal remembers for a job; `shared`: read from a journal others write to. */
export interface RememberedBaseUrl {
  baseUrl: string;
  shared: boolean;
}

/**
 * Base URL and key for a real gateway: flags, then the base URL the journal remembers for the job,
 * then environment, then config, then built-in defaults. A shared journal's remembered URL is
 * used only where it is the one this machine would use anyway: a record anyone with write access
 * to the database can change must not send the key elsewhere (exit 3, naming --base-url). A
 * missing key is a configuration error (exit 3) and every key found is registered for redaction.
 */
export function resolveConnection(
  given: ProviderSelection | Pick<ProviderSelection, "choice" | "dialect">,
  baseUrlFlag: string | undefined,
  env: Env,
  config: GrokvidConfig,
  remembered?: RememberedBaseUrl,
  options: { allowMissingKey?: boolean } = {},
): Connection {
  // A bare {choice, dialect} names a built-in provider (or the sandbox).
  const selection = "provider" in given ? given : builtIn(given.dialect, config);
  const id = selection.choice === "sandbox" ? selection.dialect : selection.choice;
  const upper = id.toUpperCase().replace(/-/g, "_");
  const fileSettings = selection.settings;
  const own = selection.keyVariable;
  const ecosystem = selection.provider.ecosystemKeyVariable;
  const { apiKey, variable, source } = findKey(selection, env);
  const configured =
    (env[`GROKVID_${upper}_BASE_URL`]
      ? checkUrl(env[`GROKVID_${upper}_BASE_URL`] ?? "", `GROKVID_${upper}_BASE_URL`)
      : undefined) ??
    fileSettings?.baseUrl ??
    selection.provider.defaultBaseUrl;
  const flagged = baseUrlFlag !== undefined ? checkUrl(baseUrlFlag, "--base-url") : undefined;
  if (flagged === undefined && remembered?.shared && remembered.baseUrl !== configured)
    throw new ConfigError(
      `the shared journal's record of this job names ${remembered.baseUrl} for ${id}, and this machine's is ${configured}; no key was sent there`,
      { hint: `if you trust that gateway, pass --base-url ${remembered.baseUrl}` },
    );
  const baseUrl = flagged ?? remembered?.baseUrl ?? configured;
  // --dry-run shows the request a user is about to configure, so it works before the key is set.
  if (!apiKey && options.allowMissingKey) return { baseUrl, apiKey: "", keyVariable: variable };
  if (!apiKey) {
    throw new ConfigError(`no API key for ${id}`, {
      hint: `run: grokvid keys set ${storedKeyName(selection)} (or set ${own}${ecosystem ? ` or ${ecosystem}` : ""}, or ${selection.settingsPath}.apiKey in ${userConfigFile(env)})`,
    });
  }
  return {
    baseUrl,
    apiKey,
    keyVariable: variable,
    ...(source ? { keyHint: keyHint(source, selection) } : {}),
  };
}

/** Where to look when the key is rejected: the source it came from, not a list of every place. */
function keyHint(source: KeySource, selection: Pick<ProviderSelection, "choice" | "dialect">): string {
  const name = storedKeyName(selection);
  if (source.kind === "env") return `the key came from ${source.variable}; check it there`;
  if (source.kind === "config")
    return `the key came from ${source.keyPath} in ${source.file ?? "the config file"}; check it there`;
  return `the key came from grokvid keys (${source.file}); store the right one with: grokvid keys set ${name}`;
}

export interface CreateDefaults {
  model?: Sourced<string>;
  duration?: Sourced<string | number>;
  ratio?: Sourced<string>;
  resolution?: Sourced<string | number>;
}

/** Per-provider defaults from the config file, labelled with their key path for error messages. */
export function configCreateDefaults(
  given: ProviderSelection | ProviderId,
  config: GrokvidConfig = {},
): CreateDefaults {
  const selection = typeof given === "string" ? builtIn(given, config) : given;
  const s = selection.settings;
  const at = (key: string) => `${selection.settingsPath}.${key}`;
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

export interface PollSettings {
  intervalMs: number;
  timeoutMs: number;
  /** Cancel the job when the timeout ends the wait (only where the platform can cancel). */
  cancelOnTimeout: boolean;
}

/**
 * How to wait: flags first, then the config's `poll`, then the defaults. `spec`, once the provider
 * is known, decides --cancel-on-timeout: asked for where the platform cannot cancel, it is refused
 * before anything is sent; the config's default simply does not apply there.
 */
export function resolvePoll(
  flags: { interval?: string; timeout?: string; cancelOnTimeout?: boolean },
  config: GrokvidConfig,
  provider?: string,
  spec?: ProviderSpec,
): PollSettings {
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
  if (intervalMs < MIN_INTERVAL_MS)
    throw new UsageError(`interval must be at least ${MIN_INTERVAL_MS}ms`, { option: "interval" });
  if (intervalMs > MAX_INTERVAL_MS)
    throw new UsageError("interval must be at most 1h", { option: "interval" });
  const cancels = spec === undefined || spec.buildCancel !== undefined;
  if (flags.cancelOnTimeout === true && !cancels) {
    throw new UsageError(
      `${provider ?? spec?.id ?? "this provider"} has no way to cancel a job, so cancelOnTimeout cannot be kept; nothing was sent`,
      {
        option: "cancelOnTimeout",
        hint: "only fal and replicate (and gateways of their dialects) can cancel; elsewhere a job runs to its end",
      },
    );
  }
  return {
    intervalMs,
    timeoutMs: read(flags.timeout, config.poll?.timeout, POLL_DEFAULTS.timeout, "timeout"),
    cancelOnTimeout: cancels && (flags.cancelOnTimeout ?? config.poll?.cancelOnTimeout ?? false),
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
