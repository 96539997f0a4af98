/** Plain-text tables for the query commands' human output. */

const MAX_CELL = 60;

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = (typeof v === 'string' ? v : String(v)).replace(/\s*[\r\n]+\s*/g, ' ');
  return s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s;
}

/** Left-aligned columns, a header line and a rule; long or multi-line cells are flattened and cut. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
  indent = '',
): string {
  const cells = rows.map((r) => r.map(cell));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    indent +
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
