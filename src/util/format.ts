/** Compact human durations for messages and the spinner: 250ms, 45s, 2m30s, 1h5m. */
export function formatMs(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m < 60) return rest ? `${m}m${rest}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
}

/** Quotes a value for a POSIX shell when it needs it, so a printed command can be pasted as is. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** How long ago, the way `gh run list` says it: 45s, 12m, 3h, 2d. */
export function formatAge(fromIso: string, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - Date.parse(fromIso)) / 1000));
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** Dollars to the cent, and to the ten-thousandth below a cent so a cheap job is not shown as $0.00. */
export function formatUsd(usd: number): string {
  return usd > 0 && usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** A job's cost; one computed from a list price reads "~$0.42", never like a reported one. */
export function formatCost(cost: { usd: number; estimate?: true }): string {
  return cost.estimate ? `~${formatUsd(cost.usd)}` : formatUsd(cost.usd);
}

/**
 * A count with its noun, singular for exactly one: "1 job", "2 jobs", "0 errors". English only;
 * `many` is for nouns whose plural is not noun + "s".
 */
export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : many}`;
}
