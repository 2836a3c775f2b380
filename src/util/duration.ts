const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `250ms`, `5s`, `2m`, `1h`, or a bare number of seconds; undefined when it is none of those. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === "number")
    return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  // Lower-cased first rather than matched with /i: a case-insensitive \s makes V8 work out the
  // case variants of every Unicode space when it compiles the pattern, on every start-up.
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value.toLowerCase());
  if (!m?.[1]) return undefined;
  const unit = UNITS[m[2] ?? "s"] ?? 1000;
  return Math.round(Number(m[1]) * unit);
}
