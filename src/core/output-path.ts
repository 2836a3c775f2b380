import { join } from "node:path";

export const DEFAULT_TEMPLATE = "{provider}-{id}.mp4";

/** Characters no file system accepts (Windows is the strictest), control characters included. */
const UNSAFE = /[<>:"/\\|?*]/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
const MAX_NAME = 200;

/** One path segment that is valid on every OS and cannot climb out of its folder. */
export function sanitizeSegment(value: string): string {
  let out = [...value]
    .map((ch) => (ch.charCodeAt(0) < 0x20 ? "_" : ch))
    .join("")
    .replace(UNSAFE, "_")
    .replace(/^[.\s]+|[.\s]+$/g, "");
  if (out === "" || WINDOWS_RESERVED.test(out)) out = `_${out}`;
  if (out.length <= MAX_NAME) return out;
  // Shorten the stem, not the extension: a name cut to "...xyz.m" is no longer a video file.
  const ext = /\.[A-Za-z0-9]{1,8}$/.exec(out)?.[0] ?? "";
  return out.slice(0, MAX_NAME - ext.length) + ext;
}

export const templateFields = ["provider", "id", "date", "index", "slug"] as const;

export interface NameFields {
  provider: string;
  id: string;
  date: Date;
  /** The job's 1-based position in a batch file, zero-padded. */
  index?: string;
  /** The start of the prompt, made safe for a file name. */
  slug?: string;
}

/** Placeholders a template uses that grokvid does not know, for config validation. */
export function unknownTemplateFields(template: string): string[] {
  const known: readonly string[] = templateFields;
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "").filter((k) => !known.includes(k));
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
