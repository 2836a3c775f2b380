/**
 * Text from a gateway is untrusted: a terminal acts on escape sequences (clear the screen, set the
 * window title, move the cursor, hyperlinks), C1 controls and bidi overrides that reorder what a
 * line seems to say. Everything a gateway sends passes through here before it is shown or stored.
 */

/**
 * Whole sequences, so no parameter bytes are left behind: CSI (7- and 8-bit), OSC/DCS/SOS/PM/APC
 * strings up to their terminator (BEL or ST), and the two- or three-byte ESC forms.
 */
const SEQUENCES = new RegExp(
  [
    "\\u001b\\[[0-?]*[ -/]*[@-~]",
    "\\u009b[0-?]*[ -/]*[@-~]",
    "(?:\\u001b[\\]PX^_]|[\\u0090\\u0098\\u009d-\\u009f])[^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)?",
    "\\u001b[ -/]*[0-~]?",
  ].join("|"),
  "g",
);

/** Line and tab breaks: a one-line message keeps them as a space, so words stay apart. */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
const LAYOUT_BREAKS = /[\v\f\r\u0085\u2028\u2029]/g;

/** C0, DEL, C1, and the invisible marks that reorder text (LRM/RLM, ALM, embeddings, overrides, isolates). */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const INVISIBLE_BUT_LAYOUT =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * For our own lines (the last guard before a terminal): tabs and newlines are our layout and stay;
 * everything else a terminal would act on goes.
 */
export function stripTerminalControls(text: string): string {
  return text.replace(SEQUENCES, "").replace(LAYOUT_BREAKS, " ").replace(INVISIBLE_BUT_LAYOUT, "");
}

/** One line of untrusted text, at most `max` characters (a gateway may send megabytes of "message"). */
export function sanitizeText(text: string, max = Infinity): string {
  const clean = text.replace(SEQUENCES, "").replace(BREAKS, " ").replace(INVISIBLE, "");
  if (clean.length <= max) return clean;
  // Never cut a surrogate pair in half: a lone surrogate is not valid UTF-8 in a file.
  const cut = /[\uD800-\uDBFF]$/.test(clean.slice(0, max)) ? max - 1 : max;
  return `${clean.slice(0, cut)}…`;
}

/** Ids, codes and URLs: no control of any kind, no surrounding space. */
export function sanitizeToken(text: string): string {
  return text.replace(SEQUENCES, "").replace(INVISIBLE, "").trim();
}

export interface JsonLimits {
  depth: number;
  /** Array items and object keys kept per level. */
  entries: number;
  /** Characters kept per string. */
  chars: number;
}

/** A bounded copy of parsed JSON with every string (and key) passed through `clean`. */
export function mapJsonStrings(
  value: unknown,
  clean: (text: string) => string,
  limits: JsonLimits = { depth: Infinity, entries: Infinity, chars: Infinity },
): unknown {
  return mapValue(value, 0, clean, limits);
}

/**
 * One function for every answer (not a closure made per call), and plain stores for the keys:
 * every gateway answer goes through here twice, and a fresh closure per answer and a
 * defineProperty per key made V8 optimise it again and again (seven times in a 1000-job batch).
 */
function mapValue(v: unknown, depth: number, clean: (text: string) => string, limits: JsonLimits): unknown {
  if (typeof v === "string") return clean(v.length > limits.chars ? `${v.slice(0, limits.chars)}…` : v);
  if (v === null || typeof v !== "object") return v;
  if (depth >= limits.depth) return "[nested too deep]";
  if (Array.isArray(v))
    return v.slice(0, limits.entries).map((item) => mapValue(item, depth + 1, clean, limits));
  const out: Record<string, unknown> = {};
  let kept = 0;
  for (const key of Object.keys(v)) {
    if (kept++ >= limits.entries) break;
    const name = clean(key);
    const item = mapValue((v as Record<string, unknown>)[key], depth + 1, clean, limits);
    // A "__proto__" key from a gateway stays a plain key, not a prototype: it alone is defined,
    // since assigning it would set the copy's prototype; any other key assigns as it defines.
    if (name === "__proto__")
      Object.defineProperty(out, name, { value: item, enumerable: true, writable: true, configurable: true });
    else out[name] = item;
  }
  return out;
}

/**
 * True when `text` (JSON) nests arrays and objects deeper than `max`. Checked before JSON.parse:
 * the parser copes, but every recursive reader after it (zod, JSON.stringify) would overflow the stack.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
