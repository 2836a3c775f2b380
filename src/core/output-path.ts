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

export function renderFileName(
  template: string,
  fields: { provider: string; id: string; date: Date },
): string {
  const values: Record<string, string> = {
    provider: fields.provider,
    id: fields.id,
    date: fields.date.toISOString().slice(0, 10),
  };
  const name = template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
  return sanitizeSegment(name);
}

export function defaultOutputPath(
  dir: string,
  template: string,
  fields: { provider: string; id: string; date: Date },
): string {
  return join(dir, renderFileName(template, fields));
}
