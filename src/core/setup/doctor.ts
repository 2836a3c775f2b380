import { stat } from "node:fs/promises";
import { findKey, describeKeySource } from "../../config/key-source.js";
import { readStoredKeys } from "../../config/keys-file.js";
import { providerOf } from "../../config/gateway-provider.js";
import { loadConfig } from "../../config/load.js";
import { listConfigCandidates } from "../../config/config-search.js";
import {
  acceptedProviders,
  type ProviderSelection,
  resolveConnection,
  resolveHome,
  selectProvider,
} from "../../config/resolve.js";
import type { GrokvidConfig } from "../../config/schema.js";
import { resolveSharedJournal, type SharedJournal } from "../../config/journal-setting.js";
import { keysFilePath } from "../../config/user-files.js";
import { ExitCode } from "../../util/errors.js";
import {
  callGateway,
  createDispatcher,
  type Gateway,
  type HttpDeps,
  sendRequest,
} from "../../http/client.js";
import type { RequestSpec } from "../../providers/types.js";
import { maskKey, registerEnvSecrets } from "../../util/redact.js";
import { VERSION } from "../../util/version.js";
import { type GatewayChoice, realClock, type Runtime } from "../client/context.js";
import {
  checkClock,
  checkJournal,
  checkSharedJournal,
  checkNode,
  type DoctorCheck,
  fail,
  failFrom,
  pass,
} from "./doctor-checks.js";

export type { DoctorCheck } from "./doctor-checks.js";

/** A gateway that does not answer in this long is as good as down for a check. */
const PROBE_MS = 8000;

/**
 * The cheapest request that proves a key: a balance query, or xAI's `GET /v1/api-key`. Never a
 * create: doctor must not cost anything. Undefined where the dialect has neither (jimmyai).
 */
function keyProbe(selection: ProviderSelection): RequestSpec | undefined {
  if (selection.dialect === "xai") return { method: "GET", path: "/v1/api-key" };
  return selection.provider.balance?.build();
}

async function checkConfig(
  flags: GatewayChoice,
  runtime: Runtime,
): Promise<{ config: GrokvidConfig; filepath: string | undefined; line: DoctorCheck }> {
  const explicit = flags.config ?? runtime.env.GROKVID_CONFIG;
  try {
    const loaded = await loadConfig(explicit, runtime.cwd, runtime.env);
    const others =
      explicit === undefined
        ? listConfigCandidates(runtime.cwd, runtime.env).filter((f) => f !== loaded.filepath)
        : [];
    const used = loaded.filepath ?? "no config file found (built-in defaults)";
    const detail = `${used}${others.length ? `; also found, not used: ${others.join(", ")}` : ""}`;
    const warned = loaded.warnings[0];
    return {
      config: loaded.config,
      filepath: loaded.filepath,
      line: warned ? fail("config", `${used}: ${warned}`, ExitCode.config) : pass("config", detail),
    };
  } catch (err) {
    return { config: {}, filepath: undefined, line: failFrom("config", err) };
  }
}

async function checkKeysFile(runtime: Runtime): Promise<DoctorCheck | undefined> {
  const path = keysFilePath(runtime.env);
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  try {
    const count = Object.keys(readStoredKeys(runtime.env)).length;
    if (process.platform !== "win32" && (info.mode & 0o077) !== 0)
      return fail("keys file", `${path}: other users can read it; run: chmod 600 ${path}`, ExitCode.config);
    return pass("keys file", `${path} (${count} key${count === 1 ? "" : "s"})`);
  } catch (err) {
    return failFrom("keys file", err);
  }
}

async function probe(
  gateway: Gateway,
  spec: RequestSpec | undefined,
  deps: HttpDeps,
): Promise<DoctorCheck[]> {
  const name = gateway.name;
  try {
    if (spec === undefined) {
      // No free authenticated endpoint: only whether the host answers at all, sent without the key.
      const res = await sendRequest(gateway.baseUrl, {
        method: "GET",
        dispatcher: deps.dispatcher,
        signal: deps.signal ?? null,
      });
      await res.dump();
      const date = res.headers.date;
      return [
        pass(
          name,
          `${gateway.baseUrl} answers (HTTP ${res.statusCode}); the key is not checked: ${name} has no free endpoint that takes it`,
        ),
        checkClock(name, typeof date === "string" ? date : undefined, deps.now()),
      ];
    }
    const res = await callGateway(gateway, spec, deps, { idempotent: true });
    return [
      pass(name, `${gateway.baseUrl} answers; the key is accepted (GET ${spec.path})`),
      checkClock(name, res.headers.date, deps.now()),
    ];
  } catch (err) {
    if (deps.signal?.aborted)
      return [fail(name, `${gateway.baseUrl} did not answer within ${PROBE_MS / 1000} s`, ExitCode.provider)];
    return [failFrom(name, err)];
  }
}

async function checkProvider(
  name: string,
  flags: GatewayChoice,
  runtime: Runtime,
  config: GrokvidConfig,
  deps: HttpDeps,
  configFile: string | undefined,
): Promise<DoctorCheck[]> {
  let selection: ProviderSelection;
  try {
    selection = selectProvider(name, runtime.env, config);
  } catch (err) {
    return [failFrom(name, err)];
  }
  if (selection.choice === "sandbox") return [pass(name, "runs inside grokvid; needs no key and no network")];
  const found = findKey(selection, runtime.env, configFile);
  if (!found.apiKey || !found.source)
    return [
      fail(
        `${name} key`,
        `none; run: grokvid keys set ${name} (or set ${selection.keyVariable})`,
        ExitCode.config,
      ),
    ];
  const keyLine = pass(`${name} key`, `${maskKey(found.apiKey)} from ${describeKeySource(found.source)}`);
  try {
    const connection = resolveConnection(selection, flags.baseUrl, runtime.env, config);
    const gateway: Gateway = { name: selection.choice, provider: providerOf(selection), ...connection };
    return [keyLine, ...(await probe(gateway, keyProbe(selection), deps))];
  } catch (err) {
    return [keyLine, failFrom(name, err)];
  }
}

/** The shared journal when one is set (a bad URL is a failed line), else the file in GROKVID_HOME. */
async function sharedOrFileJournal(runtime: Runtime, config: GrokvidConfig): Promise<DoctorCheck> {
  const home = resolveHome(runtime.env);
  let shared: SharedJournal | undefined;
  try {
    shared = resolveSharedJournal(runtime.env, config);
  } catch (err) {
    return failFrom("journal", err);
  }
  return shared === undefined ? checkJournal(home) : checkSharedJournal(shared, home, () => undefined);
}

/**
 * `grokvid doctor`: Node, config files, keys, journal, and for each provider with a key (or the
 * one named) whether its gateway answers and takes the key, with one free request each and a short
 * timeout. Nothing paid is ever sent.
 */
export async function runDoctor(flags: GatewayChoice, runtime: Runtime): Promise<DoctorCheck[]> {
  registerEnvSecrets(runtime.env);
  const checks: DoctorCheck[] = [checkNode()];
  const { config, filepath: configFile, line } = await checkConfig(flags, runtime);
  checks.push(line);
  const keysLine = await checkKeysFile(runtime);
  if (keysLine) checks.push(keysLine);
  checks.push(await sharedOrFileJournal(runtime, config));
  const chosen = flags.provider ?? flags.defaultProvider;
  const names =
    chosen !== undefined
      ? [chosen.trim().toLowerCase()]
      : acceptedProviders(config).filter((n) => {
          if (n === "sandbox") return false;
          try {
            return findKey(selectProvider(n, runtime.env, config), runtime.env).apiKey !== undefined;
          } catch {
            return false;
          }
        });
  if (names.length === 0)
    checks.push(fail("providers", "no provider has a key; run: grokvid keys set PROVIDER", ExitCode.config));
  const dispatcher = await createDispatcher({ connectMs: 3000, headersMs: PROBE_MS, bodyMs: PROBE_MS });
  try {
    for (const name of names) {
      const deps: HttpDeps = {
        dispatcher,
        now: Date.now,
        sleep: realClock.sleep,
        random: Math.random,
        signal: AbortSignal.any([runtime.signal, AbortSignal.timeout(PROBE_MS)]),
        userAgent: `grokvid/${VERSION}`,
        maxRetries: 0,
      };
      checks.push(...(await checkProvider(name, flags, runtime, config, deps, configFile)));
      if (runtime.signal.aborted) break;
    }
  } finally {
    await dispatcher.close();
  }
  return checks;
}
