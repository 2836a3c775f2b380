/**
 * Keys are registered the moment configuration is read; every line the CLI writes passes through
 * `redact`, so a key that slips into a provider's error text or a URL still never reaches a terminal.
 */
const secrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
  // Very short values would mask ordinary words; real keys are long.
  if (value && value.length >= 6) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join("***");
  return out;
}

/** What `--dry-run` shows instead of a key: enough to tell keys apart, never enough to use one. */
export function maskKey(key: string): string {
  return key.length <= 8 ? "***" : `${key.slice(0, 3)}***${key.slice(-2)}`;
}
