import { cleartextWarning } from "../../config/base-url.js";
import {
  type ProviderSelection,
  resolveConnection,
  resolveHome,
  selectProvider,
  selectRemembered,
} from "../../config/resolve.js";
import type { GrokvidConfig } from "../../config/schema.js";
import { UsageError } from "../../util/errors.js";
import type { Gateway } from "../../http/client.js";
import type { ProviderSpec } from "../../providers/types.js";
import { type GatewayChoice, realClock, type Reporter, type Runtime } from "../client/context.js";

const SANDBOX_KEY = "sandbox";

/** Where the journal says a job lives. */
export interface Remembered {
  provider: string;
  baseUrl: string;
  /** Set when the record comes from a shared journal, which others can write to. */
  host?: string | undefined;
}

/** Where a command's requests go and how they are built: all a dry run needs (no parsers, no pacer). */
export type Endpoint = Omit<Gateway, "provider" | "pacer"> & { provider: ProviderSpec };

export interface ResolvedEndpoint {
  selection: ProviderSelection;
  endpoint: Endpoint;
  stopSandbox: (() => Promise<void>) | undefined;
}

export interface ResolvedGateway {
  selection: ProviderSelection;
  gateway: Gateway;
  stopSandbox: (() => Promise<void>) | undefined;
}

type GatewayOptions = { allowMissingKey?: boolean };

/**
 * Resolves provider, base URL and key. `--provider sandbox` starts the simulator in this process
 * on 127.0.0.1, so the tool works with no network and no key.
 */
export async function resolveEndpoint(
  flags: GatewayChoice,
  runtime: Runtime,
  report: Reporter,
  config: GrokvidConfig,
  job?: Remembered,
  options: GatewayOptions = {},
): Promise<ResolvedEndpoint> {
  // A journaled job says where it lives; a --provider flag still wins.
  const selection =
    job && flags.provider === undefined
      ? selectRemembered(job.provider, config)
      : selectProvider(flags.provider ?? flags.defaultProvider, runtime.env, config);
  const { provider } = selection;
  const name = selection.choice;
  if (selection.choice !== "sandbox") {
    const connection = resolveConnection(
      selection,
      flags.baseUrl,
      runtime.env,
      config,
      job && { baseUrl: job.baseUrl, shared: job.host !== undefined },
      options,
    );
    const endpoint = { name, provider, ...connection };
    const cleartext = endpoint.apiKey === "" ? undefined : cleartextWarning(endpoint.baseUrl, name);
    if (cleartext) report.warn(cleartext);
    return { selection, endpoint, stopSandbox: undefined };
  }
  if (flags.baseUrl !== undefined) {
    throw new UsageError("baseUrl cannot be used with --provider sandbox: the sandbox runs inside grokvid", {
      option: "baseUrl",
    });
  }
  if (!runtime.sandbox) {
    throw new UsageError(
      'provider "sandbox" needs the simulator: pass createClient({ sandbox: launchSandbox }), with launchSandbox from "grokvid/sandbox"',
    );
  }
  const sandbox = await runtime.sandbox(runtime.env);
  report.debug(`sandbox listening on ${sandbox.url}`);
  return {
    selection,
    endpoint: {
      name,
      provider,
      baseUrl: sandbox.baseUrl(selection.dialect),
      apiKey: SANDBOX_KEY,
      keyVariable: "(none: the sandbox needs no key)",
    },
    stopSandbox: () => sandbox.close(),
  };
}

/**
 * The endpoint of resolveEndpoint with what sending takes: the provider's parsers (loaded now,
 * so that a dry run never loads them) and, where the dialect has a request budget, its pacer.
 */
export async function resolveGateway(
  flags: GatewayChoice,
  runtime: Runtime,
  report: Reporter,
  config: GrokvidConfig,
  job?: Remembered,
  options: GatewayOptions = {},
): Promise<ResolvedGateway> {
  const { selection, endpoint, stopSandbox } = await resolveEndpoint(
    flags,
    runtime,
    report,
    config,
    job,
    options,
  );
  const { providerOf } = await import("../../config/gateway-provider.js");
  const gateway: Gateway = { ...endpoint, provider: providerOf(selection) };
  const budget = gateway.provider.requestsPerSecond;
  if (selection.choice !== "sandbox" && budget !== undefined) {
    const { createPacer } = await import("./pacer.js");
    const origin = new URL(gateway.baseUrl).origin;
    const clock = runtime.clock ?? realClock;
    gateway.pacer = createPacer(resolveHome(runtime.env), origin, gateway.apiKey, budget, clock);
  }
  return { selection, gateway, stopSandbox };
}
