/** Plain-text tables for the query commands' human output, whole or streamed row by row. */

const MAX_CELL = 60;

type Cell = string | number | null | undefined;

export function cell(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = (typeof v === 'string' ? v : String(v)).replace(/\s*[\r\n]+\s*/g, ' ');
  return s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s;
}

/** Column widths: the widest cell or header (a loop, not Math.max(...cells): that overflowed the stack at 1M rows). */
export function tableWidths(headers: readonly string[], rows: readonly (readonly string[])[]): number[] {
  const widths = headers.map((h) => h.length);
  for (const r of rows)
    for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i] ?? 0, (r[i] ?? '').length);
  return widths;
}

/** One line; a cell wider than its column (possible when streaming) just pushes the rest right. */
export function tableLine(r: readonly string[], widths: readonly number[], indent = ''): string {
  return (
    indent +
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  );
}

/** Left-aligned columns, a header line and a rule; long or multi-line cells are flattened and cut. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  indent = '',
): string {
  const cells = rows.map((r) => r.map(cell));
  const widths = tableWidths(headers, cells);
  return [
    tableLine(headers, widths, indent),
    tableLine(
      widths.map((w) => '-'.repeat(w)),
      widths,
      indent,
    ),
    ...cells.map((r) => tableLine(r, widths, indent)),
  ].join('\n');
}

/** Rows whose widths are measured before the table starts; later rows are printed as they come. */
export const TABLE_SAMPLE_ROWS = 1000;

/**
 * A table streamed from an iterator: the first TABLE_SAMPLE_ROWS rows set the column widths, then
 * every row is written as it is read. Returns the number of rows written.
 */
export async function streamTable<T>(
  headers: readonly string[],
  rows: Iterator<T>,
  toCells: (row: T) => readonly Cell[],
  write: (text: string) => Promise<void>,
): Promise<number> {
  try {
    const sample: string[][] = [];
    let next = rows.next();
    while (!next.done && sample.length < TABLE_SAMPLE_ROWS) {
      sample.push(toCells(next.value).map(cell));
      next = rows.next();
    }
    const widths = tableWidths(headers, sample);
    const rule = widths.map((w) => '-'.repeat(w));
    await write(`${tableLine(headers, widths)}\n${tableLine(rule, widths)}\n`);
    for (const r of sample) await write(`${tableLine(r, widths)}\n`);
    let n = sample.length;
    for (; !next.done; next = rows.next()) {
      await write(`${tableLine(toCells(next.value).map(cell), widths)}\n`);
      n++;
    }
    return n;
  } finally {
    // Stopped early (the reader went away): release the statement behind the iterator.
    rows.return?.();
  }
}
