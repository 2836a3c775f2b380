import { fitWidth, textWidth } from "./text-width.js";

/** A column of a table drawn for a person, and how it gives way on a terminal narrower than it. */
export interface Column {
  header: string;
  /** Order in which columns give way (1 first); absent: shown whole whatever the width. */
  giveWay?: number;
  /** Cells its values may be cut to while every column is still shown; absent: not cut. */
  min?: number;
  /** Cells it is cut to once every optional column is out, if the table still does not fit. */
  floor?: number;
  /** Left out when the table cannot fit with every column at its `min`. */
  optional?: boolean;
  /** How a value is cut to `cells`: at its end with "…" unless a column knows better. */
  cut?: (text: string, cells: number) => string;
}

export interface FittedTable {
  lines: string[];
  /** Headers of the columns left out, and of those cut, in the table's order. */
  omitted: string[];
  shortened: string[];
}

const GAP = 2;

/** A column with what it needs: `natural` cells to show every value whole; `min`, `floor` as cut. */
interface Sized {
  column: Column;
  index: number;
  natural: number;
  min: number;
  floor: number;
}

/**
 * Cells for each kept column in a table `width` wide, the columns that give way cut in their turn,
 * each as far as `limit` allows before the next is touched; undefined when that is not enough.
 */
function shrink(
  kept: readonly Sized[],
  turns: readonly Sized[],
  limit: "min" | "floor",
  width: number,
): Map<Sized, number> | undefined {
  const widths = new Map(kept.map((c) => [c, c.natural]));
  let excess = kept.reduce((sum, c) => sum + c.natural, 0) + GAP * (kept.length - 1) - width;
  for (const c of turns) {
    if (excess <= 0) break;
    if (!widths.has(c)) continue;
    const take = Math.min(excess, c.natural - c[limit]);
    widths.set(c, c.natural - take);
    excess -= take;
  }
  return excess <= 0 ? widths : undefined;
}

function draw(kept: readonly Sized[], rows: readonly (readonly string[])[], widths: Map<Sized, number>) {
  const line = (value: (c: Sized) => string) =>
    kept
      .map((c, k) => {
        const cells = widths.get(c) ?? c.natural;
        const text = value(c);
        const shown = textWidth(text) > cells ? (c.column.cut ?? fitWidth)(text, cells) : text;
        return k === kept.length - 1 ? shown : shown + " ".repeat(Math.max(0, cells - textWidth(shown)));
      })
      .join(" ".repeat(GAP))
      .trimEnd();
  return [line((c) => c.column.header), ...rows.map((row) => line((c) => row[c.index] ?? ""))];
}

/**
 * Left-aligned columns two spaces apart, measured in cells (a prompt's wide characters and emoji
 * take two), at most `width` cells wide where the columns allow it: first the columns that give
 * way are cut to their `min`, in turn; then optional ones are left out, in turn (the others get
 * their room back); then columns are cut to their `floor`. Beyond that the lines are as narrow as
 * they can be, and wrap.
 */
export function fitTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  width = Number.POSITIVE_INFINITY,
): FittedTable {
  const all = columns.map((column, index): Sized => {
    const natural = Math.max(textWidth(column.header), ...rows.map((r) => textWidth(r[index] ?? "")));
    // Never below the header, and never "cut" to more than the column needs.
    const upTo = (cells = Number.POSITIVE_INFINITY) =>
      Math.min(natural, Math.max(textWidth(column.header), cells));
    return { column, index, natural, min: upTo(column.min), floor: upTo(column.floor ?? column.min) };
  });
  const turns = all
    .filter((c) => c.column.giveWay !== undefined)
    .sort((a, b) => (a.column.giveWay ?? 0) - (b.column.giveWay ?? 0));
  let kept = all;
  let widths = shrink(kept, turns, "min", width);
  for (const c of turns) {
    if (widths) break;
    if (c.column.optional !== true) continue;
    kept = kept.filter((k) => k !== c);
    widths = shrink(kept, turns, "min", width);
  }
  widths ??= shrink(kept, turns, "floor", width) ?? new Map(kept.map((c) => [c, c.floor]));
  const cut = widths;
  return {
    lines: draw(kept, rows, cut),
    omitted: all.filter((c) => !kept.includes(c)).map((c) => c.column.header),
    shortened: kept.filter((c) => (cut.get(c) ?? c.natural) < c.natural).map((c) => c.column.header),
  };
}

/** `16:9 9:16 +5`: a space-separated list's first items in `cells`, and how many more there are. */
export function abbreviateList(text: string, cells: number): string {
  if (textWidth(text) <= cells) return text;
  const items = text.split(" ");
  for (let k = items.length - 1; k >= 1; k--) {
    const shown = `${items.slice(0, k).join(" ")} +${items.length - k}`;
    if (textWidth(shown) <= cells) return shown;
  }
  return fitWidth(text, cells);
}

function listOf(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** What a fitted table left out or cut, for stderr: and how to see it all. */
export function describeFit(table: FittedTable, columns: number): string | undefined {
  if (table.omitted.length > 0)
    return `${listOf(table.omitted)} left out to fit ${columns} columns; --wide shows all`;
  if (table.shortened.length > 0) return `values cut (…) to fit ${columns} columns; --wide shows all`;
  return undefined;
}
