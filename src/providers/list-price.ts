import type { ListPrice, PriceAsk } from "./types.js";

/**
 * List prices as data: each priced provider module (xAI, fal, Replicate) keeps its own table, and
 * these helpers turn a table and an ask into dollars. Used twice: to estimate a finished job's
 * cost where the platform reports none, and to estimate a job before it is sent (`estimateCost`).
 */

/** Per-second list prices by resolution (vertical lines), in US dollars. */
export type PerSecondPrices = Readonly<Record<number, number>>;

/** One model's prices: per second of video by resolution, and per input image. */
export interface PriceTable {
  perSecond: PerSecondPrices;
  perImage: number;
}

/** Seconds × the list price of the resolution, plus a per-image surcharge; undefined when unpriced. */
export function listPriceUsd(
  prices: PerSecondPrices | undefined,
  seconds: number,
  resolution: number,
  images = 0,
  perImage = 0,
): number | undefined {
  const perSecond = prices?.[resolution];
  if (perSecond === undefined) return undefined;
  // Whole micro-dollars: 6 × 0.07 is 0.42, not 0.42000000000000004.
  return Math.round((seconds * perSecond + images * perImage) * 1e6) / 1e6;
}

/**
 * What `ask` costs by `table`, the gateway's own defaults standing in for a length or resolution
 * not asked for (the gateway makes that length, so that length is billed). Undefined when the
 * table has no price for the resolution.
 */
export function priceFrom(
  table: PriceTable | undefined,
  ask: PriceAsk,
  defaults: { duration: number; resolution: number },
): ListPrice | undefined {
  if (!table) return undefined;
  const seconds = ask.duration ?? defaults.duration;
  const resolution = ask.resolution ?? defaults.resolution;
  const perSecondUsd = table.perSecond[resolution];
  const usd = listPriceUsd(table.perSecond, seconds, resolution, ask.images, table.perImage);
  if (usd === undefined || perSecondUsd === undefined) return undefined;
  return { usd, seconds, resolution, perSecondUsd, perImageUsd: table.perImage };
}
