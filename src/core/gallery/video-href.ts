import { posix, sep, win32 } from "node:path";
import { pathToFileURL } from "node:url";

/** Which path rules to apply: this machine's by default (tests check Windows paths on Linux). */
export type PathFlavour = typeof posix;

const NATIVE: PathFlavour = sep === "\\" ? win32 : posix;
/** In unicode mode a surrogate pair is one code point, so this matches only a lone half. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/gu;

/** encodeURIComponent throws on a lone surrogate, which a journal's JSON can hold; a page must still render. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment.replace(LONE_SURROGATE, "\uFFFD"));
}

/**
 * How the gallery page links to a video: relative to the page's folder, so the page and its videos
 * can be moved or zipped together, with every segment percent-encoded so that a name with a space,
 * `#`, `?`, `%` or `:` stays one path segment (a raw `#` would start a fragment, a leading `a:` would
 * read as a URL scheme). Where no relative path exists (another Windows drive or share), an absolute
 * file:// URL.
 */
export function makeVideoHref(htmlFile: string, videoPath: string, flavour: PathFlavour = NATIVE): string {
  const relative = flavour.relative(flavour.dirname(htmlFile), videoPath);
  if (relative === "" || flavour.isAbsolute(relative)) {
    return pathToFileURL(videoPath, { windows: flavour === win32 }).href;
  }
  // Windows takes either separator; on POSIX a backslash is part of a file's name.
  const segments = relative.split(flavour === win32 ? /[\\/]/ : "/");
  return segments.map(encodeSegment).join("/");
}
