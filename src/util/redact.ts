/**
 * Keys are registered the moment configuration (or the environment) is read; every line the CLI
 * writes passes through `redact`, so a key that slips into a provider's error text or a URL still
 * never reaches a terminal. Gateway answers are redacted with their own key where they come in
 * (`redactWith`), so nothing downstream, the journal included, ever receives it.
 */
const secrets = new Set<string>();
const formsOf = new Map<string, readonly string[]>();
/** Every registered form, longest first, so a full base64 string goes before its own fragments. */
let registered: string[] = [];

/** Very short values would mask ordinary words; real keys are long. */
const MIN_SECRET = 6;
/** A base64 fragment shorter than this could be anything. */
const MIN_FRAGMENT = 12;

/**
 * The key as a proxy or a log might echo it: as is, URL-encoded, and base64 (standard and URL-safe)
 * of the key alone. A key inside longer encoded text (`Bearer <key>`, `user:<key>` basic auth)
 * encodes differently for each of the 3 byte offsets it can start at; for each offset, the
 * characters that depend only on the key's bytes are a fixed fragment, and that is what is masked.
 */
export function secretForms(key: string): readonly string[] {
  const cached = formsOf.get(key);
  if (cached) return cached;
  const bytes = Buffer.from(key);
  const forms = new Set<string>([key, encodeURIComponent(key)]);
  for (const encoding of ["base64", "base64url"] as const) {
    forms.add(bytes.toString(encoding));
    for (let shift = 0; shift < 3; shift++) {
      const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString(encoding);
      const fragment = encoded.slice(shift === 0 ? 0 : 4, 4 * Math.floor((shift + bytes.length) / 3));
      if (fragment.length >= MIN_FRAGMENT) forms.add(fragment);
    }
  }
  const list = [...forms].sort((a, b) => b.length - a.length);
  formsOf.set(key, list);
  return list;
}

export function registerSecret(value: string | undefined): void {
  const key = value?.trim();
  if (!key || key.length < MIN_SECRET || secrets.has(key)) return;
  secrets.add(key);
  registered = [...new Set([...registered, ...secretForms(key)])].sort((a, b) => b.length - a.length);
}

/** The platforms' own key variables, which grokvid reads after its own GROKVID_<NAME>_API_KEY. */
export const ECOSYSTEM_KEY_VARIABLES = [
  "XAI_API_KEY",
  "FAL_KEY",
  "REPLICATE_API_TOKEN",
  "OPENROUTER_API_KEY",
] as const;

/** Every key variable of the environment, for commands that load no provider. */
export function registerEnvSecrets(env: Readonly<Record<string, string | undefined>>): void {
  // The shared journal's password, in its URL or where libpq's own variable keeps it.
  registerSecret(env.PGPASSWORD);
  for (const secret of urlSecrets(env.GROKVID_JOURNAL_URL)) registerSecret(secret);
  for (const [name, value] of Object.entries(env))
    if (
      /^GROKVID_[A-Z0-9_]+_API_KEY$/.test(name) ||
      (ECOSYSTEM_KEY_VARIABLES as readonly string[]).includes(name)
    )
      registerSecret(value);
}

/** Query parameters of a connection URL that hold a secret (libpq's names). */
const SECRET_PARAMS = new Set(["password", "sslpassword"]);

/** Percent-decoded, or as written when it is not valid percent-encoding (never a crash). */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Every secret a connection URL (postgres://user:pass@host/db?sslpassword=...) carries, each as
 * written and as decoded: its password and its password-like parameters. None: [].
 */
export function urlSecrets(url: string | undefined): string[] {
  if (url === undefined) return [];
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return [];
  }
  const written = [parsed.password];
  for (const pair of parsed.search.replace(/^\?/, "").split("&")) {
    const at = pair.indexOf("=");
    if (at > 0 && SECRET_PARAMS.has(safeDecode(pair.slice(0, at)).toLowerCase()))
      written.push(pair.slice(at + 1));
  }
  return [
    ...new Set(
      written.filter((w) => w !== "").flatMap((w) => [w, safeDecode(w.replace(/\+/g, " ")), safeDecode(w)]),
    ),
  ];
}

/** The password of a URL, or its first secret parameter (as written); none: undefined. */
export function urlPassword(url: string | undefined): string | undefined {
  return urlSecrets(url)[0];
}

/** The URL as it may be shown: every secret in it replaced by ***. */
export function maskUrl(url: string): string {
  let shown = url;
  for (const secret of urlSecrets(url).sort((a, b) => b.length - a.length))
    if (secret !== "") shown = shown.split(secret).join("***");
  return shown;
}

function mask(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join("***");
  return out;
}

export function redact(text: string): string {
  return mask(text, registered);
}

/** `redact`, plus these keys in every form, whether or not anyone registered them. */
export function redactWith(text: string, keys: readonly string[]): string {
  let out = text;
  for (const key of keys) if (key.length >= MIN_SECRET) out = mask(out, secretForms(key));
  return mask(out, registered);
}

/** What `--dry-run` shows instead of a key: enough to tell keys apart, never enough to use one. */
export function maskKey(key: string): string {
  return key.length <= 8 ? "***" : `${key.slice(0, 3)}***${key.slice(-2)}`;
}
