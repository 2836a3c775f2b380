import { type Column, describeFit, fitTable } from "./fit-table.js";
import type { Output } from "./output.js";
import { terminalWidth } from "./text-width.js";

/** Left-aligned columns separated by two spaces, every value whole; the last column is not padded. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return fitTable(
    headers.map((header) => ({ header })),
    rows,
  ).lines;
}

/**
 * A table on stdout for a person: fitted to the terminal's width (see fitTable) unless `wide`,
 * with a line on stderr naming what was left out; whole for a pipe or a file, as scripts expect.
 */
export function printTable(
  out: Output,
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  wide = false,
): void {
  const terminal = wide ? undefined : terminalWidth(out.streams.stdout);
  // One column kept free, as the live block keeps: some terminals wrap at the last.
  const table = fitTable(columns, rows, terminal === undefined ? undefined : terminal - 1);
  for (const line of table.lines) out.result(line);
  const note = terminal === undefined ? undefined : describeFit(table, terminal);
  if (note) out.info(note);
}

/** One line, at most `max` characters, with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  // Control characters from a prompt or a provider must not move the cursor or change colours.
  const flat = text
    .replace(/\s+/g, " ")
    .replace(/\p{Cc}/gu, "")
    .trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * Rows for a script (stdout not a terminal), as `gh` prints them: one line per row, fields
 * separated by one tab, no header, no padding, nothing cut. Whitespace inside a field (a prompt's
 * tabs and newlines) becomes one space, so `cut -f` always finds the same column.
 */
export function renderTsv(rows: readonly (readonly string[])[]): string[] {
  return rows.map((cells) => cells.map((c) => c.replace(/\s+/g, " ").trim()).join("\t"));
}
