import { settingKeys } from "../../config/key-paths.js";
import { POLL_DEFAULTS, selectRemembered } from "../../config/resolve.js";
import type { GrokvidConfig } from "../../config/schema.js";
import { DEFAULT_LOW_SPEED, DEFAULT_TIMEOUTS } from "../../http/limits.js";
import { providerSpecs } from "../../providers/specs.js";
import type { ProviderId } from "../../providers/types.js";
import { DEFAULT_TEMPLATE } from "../download/output-path.js";
import { DEFAULT_LEASE_MS } from "../../config/journal-setting.js";

/** A time as the config file would say it: "10s", "250ms". */
const asDuration = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/**
 * grokvid's own value of each setting a config file leaves out, from the constants the commands
 * use; none for a setting whose default is the gateway's (a provider's `defaults`).
 */
const FIXED: Readonly<Record<string, string | number | boolean>> = {
  "poll.interval": POLL_DEFAULTS.interval,
  "poll.timeout": POLL_DEFAULTS.timeout,
  "poll.cancelOnTimeout": false,
  "timeouts.connect": asDuration(DEFAULT_TIMEOUTS.connectMs),
  "timeouts.headers": asDuration(DEFAULT_TIMEOUTS.headersMs),
  "timeouts.body": asDuration(DEFAULT_TIMEOUTS.bodyMs),
  "download.dir": ".",
  "download.template": DEFAULT_TEMPLATE,
  "download.lowSpeed.bytesPerSecond": DEFAULT_LOW_SPEED.bytesPerSecond,
  "download.lowSpeed.time": asDuration(DEFAULT_LOW_SPEED.windowMs),
  "journal.lease": asDuration(DEFAULT_LEASE_MS),
};

const isProvider = (name: string): name is ProviderId => Object.hasOwn(providerSpecs, name);

/** The built-in value of one setting (a key path's parts), or undefined when there is none. */
export function builtInDefault(
  parts: readonly string[],
  config: GrokvidConfig,
): string | number | boolean | undefined {
  const [section, name = "", field, ...rest] = parts;
  if (section === "providers" && isProvider(name) && rest.length === 0) {
    if (field === "baseUrl") return providerSpecs[name].defaultBaseUrl;
    if (field === "model") return providerSpecs[name].defaultModel;
  }
  // A gateway's first model, or its platform's default where it lists none.
  if (section === "gateways" && field === "model" && rest.length === 0 && config.gateways?.[name])
    return selectRemembered(name, config).provider.defaultModel;
  return FIXED[parts.join(".")];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function setIn(node: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head = "", ...rest] = path;
  if (rest.length === 0) {
    node[head] = value;
    return;
  }
  const existing = node[head];
  const child = isRecord(existing) ? existing : {};
  node[head] = child;
  setIn(child, rest, value);
}

/**
 * The built-in value at a key path: a setting's default, or for a section the defaults of the
 * settings in it, as the config file would hold them; undefined when there are none.
 */
export function defaultAt(parts: readonly string[], config: GrokvidConfig): unknown {
  const within = settingKeys(config).filter((key) => parts.every((p, i) => key[i] === p));
  if (within.length === 1 && within[0]?.length === parts.length) return builtInDefault(parts, config);
  const section: Record<string, unknown> = {};
  for (const key of within) {
    const value = builtInDefault(key, config);
    if (value !== undefined) setIn(section, key.slice(parts.length), value);
  }
  return Object.keys(section).length === 0 ? undefined : section;
}
