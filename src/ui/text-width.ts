import stringWidth from "string-width";

/** Below this a line holds nothing readable; a terminal reporting less still gets this many. */
export const MIN_COLUMNS = 20;
/** What a terminal that reports no size (0 columns: a pseudo-terminal nobody sized) is drawn as. */
export const UNKNOWN_COLUMNS = 80;
const MAX_COLUMNS = 1000;

/**
 * The width to draw for, whatever the terminal says: 0, NaN or a negative number once made the
 * spinner compute an infinite number of lines to clear (hundreds of MB of escapes a minute).
 */
export function usableColumns(reported: unknown): number {
  if (typeof reported !== "number" || !Number.isFinite(reported) || reported < 1) return UNKNOWN_COLUMNS;
  return Math.min(MAX_COLUMNS, Math.max(MIN_COLUMNS, Math.floor(reported)));
}

/**
 * The width a table on `stream` is fitted to when `stream` is a terminal; undefined for a pipe or
 * a file, where every column is printed whole for the scripts that cut fields out of it.
 */
export function terminalWidth(stream: { readonly isTTY?: boolean }): number | undefined {
  if (stream.isTTY !== true) return undefined;
  return usableColumns("columns" in stream ? stream.columns : undefined);
}

/** Cells `text` takes on a terminal: East Asian wide characters and emoji take two. */
export function textWidth(text: string): number {
  return stringWidth(text);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * At most `max` cells, cut on a whole character (never half an emoji or a wide character) and
 * ending in an ellipsis when cut, so a line never wraps and the cursor math stays exact. A space
 * the cut lands after goes (`fresh…`, not `fresh …`): the cell is worth more as text.
 */
export function fitWidth(text: string, max: number): string {
  if (stringWidth(text) <= max) return text;
  let kept = "";
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    if (width + w > max - 1) break;
    kept += segment;
    width += w;
  }
  return max >= 1 ? `${kept.trimEnd()}…` : "";
}

/**
 * At most `max` cells, cut in the middle (`task_an00…i5bu`) on whole characters: for an id, whose
 * both ends are what a person compares, where a cut end would leave a prefix every id shares.
 */
export function fitMiddle(text: string, max: number): string {
  if (stringWidth(text) <= max) return text;
  if (max < 3) return fitWidth(text, max);
  const parts = Array.from(graphemes.segment(text), ({ segment }) => segment);
  const take = (from: readonly string[], cells: number): string[] => {
    const kept: string[] = [];
    let width = 0;
    for (const segment of from) {
      const w = stringWidth(segment);
      if (width + w > cells) break;
      kept.push(segment);
      width += w;
    }
    return kept;
  };
  const headCells = Math.ceil((max - 1) / 2);
  const head = take(parts, headCells);
  const tail = take([...parts].reverse(), max - 1 - textWidth(head.join(""))).reverse();
  return `${head.join("")}…${tail.join("")}`;
}
