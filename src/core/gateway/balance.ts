import { selectProvider } from "../../config/resolve.js";
import type { GrokvidConfig } from "../../config/schema.js";
import { UsageError } from "../../util/errors.js";
import { callGateway } from "../../http/client.js";
import type { BalanceInfo } from "../../providers/types.js";
import type { GatewayChoice, Reporter, Runtime } from "../client/context.js";
import type { Journal } from "../journal/journal.js";
import { afterSending } from "../jobs/outcome.js";
import { openSession } from "../client/session.js";

export interface BalanceResult extends BalanceInfo {
  provider: string;
  /** Dollars at new-api's default rate (an operator may set another): an estimate, said as such. */
  usdEstimate?: { remaining: number | null; used: number | null };
}

/**
 * What is left on the key, where the gateway says so. A provider without a balance endpoint is
 * refused before anything is sent (exit 2), with where to look instead.
 */
export async function getBalance(
  flags: GatewayChoice,
  runtime: Runtime,
  report: Reporter,
  config: GrokvidConfig,
  journal: Journal,
): Promise<BalanceResult> {
  const selection = selectProvider(flags.provider ?? flags.defaultProvider, runtime.env, config);
  const { provider } = selection;
  if (!provider.balance) {
    throw new UsageError(
      `${selection.choice} has no balance endpoint; nothing was sent${provider.noBalance ? ` (${provider.noBalance})` : ""}`,
    );
  }
  const session = await openSession(flags, runtime, report, config, { journal });
  try {
    // The session's provider is the whole one, with the reader of the balance answer.
    const support = session.gateway.provider.balance;
    if (!support) throw new Error(`${selection.choice} lost its balance endpoint`);
    const res = await callGateway(session.gateway, support.build(), session.http, { idempotent: true });
    const { info, warnings } = support.parse(res.body);
    for (const warning of warnings) report.warn(warning);
    const rate = info.quotaPerUsd;
    const toUsd = (n: number | null) => (n === null || rate === undefined ? null : n / rate);
    return {
      provider: session.gateway.name,
      ...info,
      ...(rate === undefined
        ? {}
        : { usdEstimate: { remaining: toUsd(info.remaining), used: toUsd(info.used) } }),
    };
  } catch (err) {
    throw session.sent() ? afterSending(err) : err;
  } finally {
    await session.close();
  }
}
