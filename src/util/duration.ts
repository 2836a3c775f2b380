const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `250ms`, `5s`, `2m`, `1h`, or a bare number of seconds; undefined when it is none of those. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === "number")
    return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(value);
  if (!m?.[1]) return undefined;
  const unit = UNITS[(m[2] ?? "s").toLowerCase()] ?? 1000;
  return Math.round(Number(m[1]) * unit);
}
