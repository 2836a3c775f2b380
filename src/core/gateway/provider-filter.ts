import { UsageError } from "../../util/errors.js";
import { didYouMean } from "../../util/did-you-mean.js";

/**
 * A `--provider` that only filters local records (jobs, gallery): any provider grokvid knows
 * (built in or configured) or that the journal names (a gateway since removed from the config).
 * A misspelt one would otherwise just match nothing, which reads as "no jobs".
 */
export function checkProviderFilter(raw: string | undefined, known: Iterable<string>): string | undefined {
  if (raw === undefined) return undefined;
  const provider = raw.trim().toLowerCase();
  const names = [...new Set(known)];
  if (names.includes(provider)) return provider;
  throw new UsageError(
    `provider ${raw} is not a known provider; accepted: ${names.join(", ")}${didYouMean(provider, names)}`,
    { option: "provider" },
  );
}
