import type { BalanceResult } from "../index.js";
import type { CommonFlags } from "./cli-output.js";
import { formatUsd } from "../util/format.js";
import { type CommandRuntime, clientFor, createOutput } from "./cli-output.js";

function amount(value: number | null, result: BalanceResult, usd: number | null | undefined): string {
  if (value === null) return "unknown";
  const text = `${value.toLocaleString("en-US", { maximumFractionDigits: 4 })} ${result.unit}`;
  // new-api counts in quota units; the dollar figure uses its default rate, so it is marked "about".
  return usd === null || usd === undefined ? text : `${text} (about ${formatUsd(usd)})`;
}

/** `grokvid balance [--provider P] [--json]`: what is left on the key, where the gateway says so. */
export async function runBalance(flags: CommonFlags, runtime: CommandRuntime): Promise<void> {
  const out = await createOutput(flags, runtime);
  const result = await clientFor(flags, runtime, out).balance(
    flags.provider === undefined ? {} : { provider: flags.provider },
  );
  if (out.mode.json) {
    out.resultJson(result);
    return;
  }
  if (result.unlimited) {
    out.result(`${result.provider}: unlimited`);
    return;
  }
  const left = amount(result.remaining, result, result.usdEstimate?.remaining);
  const used = result.used === null ? "" : `, ${amount(result.used, result, result.usdEstimate?.used)} used`;
  out.result(`${result.provider}: ${left} left${used}`);
}
