import { basename, join } from "node:path";
import { UsageError } from "../../util/errors.js";

export { templateFields, unknownTemplateFields } from "../../config/download-template.js";

export const DEFAULT_TEMPLATE = "{provider}-{id}.mp4";

/** Characters no file system accepts (Windows is the strictest), control characters included. */
const UNSAFE = /[<>:"/\\|?*]/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
/** What Linux, macOS and Windows file systems allow for one name, in UTF-8 bytes (NTFS counts UTF-16 units: 255 of those never exceed 255 bytes' worth). */
const NAME_MAX_BYTES = 255;
/**
 * The longest suffix grokvid appends to a video's name (`.part.json`, `.part.lock`; a sidecar adds
 * at most `.meta.json` minus the extension; temp files have short names of their own), so every
 * file a download writes fits when the video's name does.
 */
export const LONGEST_SUFFIX = ".part.json";
export const MAX_NAME_BYTES = NAME_MAX_BYTES - Buffer.byteLength(LONGEST_SUFFIX);

// Made on first use: building ICU's grapheme rules costs ~8 ms, which every command would pay at start-up.
let graphemes: Intl.Segmenter | undefined;

/** The longest start of `text` within `maxBytes` of UTF-8, cut between graphemes (never inside a character or an emoji sequence). */
function truncateBytes(text: string, maxBytes: number): string {
  let out = "";
  let used = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  for (const { segment } of graphemes.segment(text)) {
    used += Buffer.byteLength(segment);
    if (used > maxBytes) break;
    out += segment;
  }
  return out;
}

/** An explicit -o whose file name cannot exist on disk with the suffixes a download adds: refused before anything is sent. */
export function assertNameFits(path: string): void {
  const name = basename(path);
  const bytes = Buffer.byteLength(name);
  if (bytes > MAX_NAME_BYTES) {
    throw new UsageError(
      `the file name ${JSON.stringify(name.slice(0, 40) + "...")} is ${bytes} bytes long; file systems allow ${NAME_MAX_BYTES}, and grokvid needs ${Buffer.byteLength(LONGEST_SUFFIX)} of those for ${LONGEST_SUFFIX}: give -o a name of at most ${MAX_NAME_BYTES} bytes`,
    );
  }
}

/** One path segment that is valid on every OS and cannot climb out of its folder. */
export function sanitizeSegment(value: string): string {
  let out = [...value]
    .map((ch) => (ch.charCodeAt(0) < 0x20 ? "_" : ch))
    .join("")
    .replace(UNSAFE, "_")
    .replace(/^[.\s]+|[.\s]+$/g, "");
  if (out === "" || WINDOWS_RESERVED.test(out)) out = `_${out}`;
  if (Buffer.byteLength(out) <= MAX_NAME_BYTES) return out;
  // Shorten the stem, not the extension: a name cut to "...xyz.m" is no longer a video file.
  const ext = /\.[A-Za-z0-9]{1,8}$/.exec(out)?.[0] ?? "";
  const stem = truncateBytes(out.slice(0, out.length - ext.length), MAX_NAME_BYTES - ext.length);
  // The cut may leave a trailing dot or space, which Windows drops from names.
  return stem.replace(/[.\s]+$/, "") + ext;
}

export interface NameFields {
  provider: string;
  id: string;
  date: Date;
  /** The job's 1-based position in a batch file, zero-padded. */
  index?: string;
  /** The start of the prompt, made safe for a file name. */
  slug?: string;
}

/** Lower-case words of the prompt joined by hyphens, any script, at most 40 characters. */
export function slugify(prompt: string): string {
  const words = prompt.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > 40) break;
    slug = next;
  }
  return slug || (words[0]?.slice(0, 40) ?? "video");
}

export function renderFileName(template: string, fields: NameFields): string {
  const values: Record<string, string> = {
    provider: fields.provider,
    id: fields.id,
    date: fields.date.toISOString().slice(0, 10),
    index: fields.index ?? "",
    slug: fields.slug ?? "",
  };
  const name = template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
  return sanitizeSegment(name);
}

export function defaultOutputPath(dir: string, template: string, fields: NameFields): string {
  return join(dir, renderFileName(template, fields));
}
