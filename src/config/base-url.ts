/**
 * What a base URL may be, wherever it comes from (--base-url, GROKVID_<NAME>_BASE_URL, a config
 * file): an http(s) URL to which request paths are appended. A user name or password in it would be
 * printed and journaled wherever the URL is (doctor, --dry-run, --verbose, jobs), and grokvid
 * authenticates with the key header anyway; a ?query or #fragment would end up in the middle of
 * every request path. The message never quotes the URL, which may hold a password.
 */
export function baseUrlProblem(value: string): string | undefined {
  if (!URL.canParse(value)) return "must be an http(s) URL";
  const url = new URL(value);
  if (!/^https?:$/.test(url.protocol)) return "must be an http(s) URL";
  if (url.username !== "" || url.password !== "")
    return "must not hold a user name or password (it would be shown and logged); store a key with: grokvid keys set";
  if (/[?#]/.test(value)) return "must not have a ?query or #fragment: request paths are appended to it";
  return undefined;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** A warning when a key would travel in clear text: plain http to a host other than this machine. */
export function cleartextWarning(baseUrl: string, name: string): string | undefined {
  const url = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  if (!url || url.protocol !== "http:" || LOOPBACK.test(url.hostname)) return undefined;
  return `the key for ${name} goes to ${url.origin} in clear text (not https); anyone on the way can read it`;
}
