/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)];
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
