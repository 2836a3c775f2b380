/**
 * The most one job may cost before a price a gateway reports is taken for garbage. The dearest
 * Grok Imagine job on any list is a few dollars (1080p at about $0.25/s, 15 s at most: providers.md
 * §6), so 10,000 USD is over 2,000 times that: no real bill is refused, even after a price rise or
 * from a reseller's margin. And it keeps every sum safe: in whole micro-dollars, a million jobs at
 * the ceiling is 10^16, far from overflowing (and exact up to 900,000 of them).
 */
export const MAX_JOB_COST_USD = 10_000;

/** A reported cost in dollars, or undefined when it is not a finite price from 0 to the ceiling. */
export function checkCostUsd(usd: number): number | undefined {
  if (!Number.isFinite(usd) || usd < 0 || usd > MAX_JOB_COST_USD) return undefined;
  // -0 passes `usd < 0`; adding 0 makes it the 0 a reader expects ("$0.00", never "-0").
  return usd + 0;
}

/** What a job cost: reported by the gateway, or computed from its list price (`estimate`). */
export interface JobCost {
  usd: number;
  estimate?: true;
}

/** A recorded cost, kept only when it is a plausible price (an older journal may hold any number). */
export function knownCost(cost: JobCost | undefined): JobCost | undefined {
  const usd = cost === undefined ? undefined : checkCostUsd(cost.usd);
  if (usd === undefined) return undefined;
  return cost?.estimate ? { usd, estimate: true } : { usd };
}

/** Why a reported cost was refused, in the warning's words. */
export function describeRefusedCost(usd: number): string {
  return Number.isNaN(usd) ? "a cost that is not a number" : `a cost of ${String(usd)} USD`;
}

/**
 * The total of the plausible costs among `costs` (the rest count as unknown), added in whole
 * micro-dollars so the total does not depend on the order and $0.10 + $0.20 is $0.30.
 */
export function sumCostsUsd(costs: Iterable<number>): number {
  let micros = 0;
  for (const cost of costs) {
    const usd = checkCostUsd(cost);
    if (usd !== undefined) micros += Math.round(usd * 1e6);
  }
  return micros / 1e6;
}

/** `record` without its cost when that is no plausible price (see knownCost); else `record` itself. */
export function withKnownCost<T extends { cost?: JobCost | undefined }>(record: T): T | Omit<T, "cost"> {
  if (record.cost === undefined || knownCost(record.cost) !== undefined) return record;
  const rest: Omit<T, "cost"> & { cost?: unknown } = { ...record };
  delete rest.cost;
  return rest;
}
