/**
 * The export's SQL: the filtered, sorted select from the query engine, wrapped so SQLite does the
 * per-row string work in C. Column names come only from the whitelist (common/columns.ts); the
 * filter's values stay bound parameters of the inner select.
 */
import { isColumnId, type ColumnId } from '../../../common/columns';
import { enumColumn } from '../../../common/enum-values';
import { GUARD_FIRST_CODES, GUARD_SIGN_CODES, GUARD_SKIP_CODES } from '../../../common/formula-guard';
import { EngineError } from '../errors';
import type { CompiledSql } from '../query/select';
import type { ExportDelimiter } from './csv';

function checked(columns: readonly ColumnId[]): readonly ColumnId[] {
  for (const c of columns)
    if (!isColumnId(c)) throw new EngineError('INVALID_ARGUMENT', `unknown column ${JSON.stringify(c)}`);
  return columns;
}

/**
 * The value as the file had it: enum columns hold the canonical spelling and whole-number columns a
 * number, and `raw_values` the original text of the few values that differed (" OK", "007"); the
 * inner select must include raw_values.
 */
function original(c: ColumnId): string {
  if (enumColumn(c) === undefined && c !== 'message_size' && c !== 'version') return c;
  return `iif(raw_values IS NULL, ${c}, coalesce(raw_values ->> '$.${c}', ${c}))`;
}

/**
 * One string per row: the raw values joined by U+001F (NULL becomes empty, integers their decimal
 * text). concat() builds it in a single allocation; the row's order is the inner select's (a
 * single-table subquery is flattened and keeps its ORDER BY — the tests pin this down).
 */
export function joinedRowsSql(inner: CompiledSql, columns: readonly ColumnId[]): CompiledSql {
  const cols = checked(columns).map(original);
  if (cols.length === 1)
    return { sql: `SELECT concat(${cols[0]}) FROM (${inner.sql})`, params: inner.params };
  return { sql: `SELECT concat(${cols.join(', char(31), ')}) FROM (${inner.sql})`, params: inner.params };
}

/** The guard's skipped characters as an SQL expression (char() of fixed code points). */
const SKIP_CHARS = `char(${GUARD_SKIP_CODES.join(', ')})`;

/**
 * The fallback when a value contains U+001F: every field guarded and quoted in SQL, giving exactly
 * the bytes formatField would. Slower (a GLOB per field), so only used when needed.
 */
export function formattedRowsSql(
  inner: CompiledSql,
  columns: readonly ColumnId[],
  delimiter: ExportDelimiter,
  guard = true,
): CompiledSql {
  const cols = checked(columns);
  // The delimiter is one of two fixed literals, never caller text.
  const sep = delimiter === ',' ? `','` : `';'`;
  // instr(), not GLOB: GLOB reads a value only up to its first NUL, so "\0,x" went out unquoted.
  const special = (c: string): string =>
    `(instr(${c}, '"') OR instr(${c}, ${sep}) OR instr(${c}, char(10)) OR instr(${c}, char(13)))`;
  const fields = cols.map(original).map((c) => {
    // The rule of common/formula-guard.ts in SQL: TAB or CR first, or a formula sign once white
    // space and format characters are trimmed from the left. Only code-point numbers enter the SQL.
    const guarded = guard
      ? `CASE WHEN unicode(${c}) IN (${GUARD_FIRST_CODES.join(', ')}) OR unicode(ltrim(${c}, ${SKIP_CHARS})) IN (${GUARD_SIGN_CODES.join(', ')}) THEN '''' || ${c} ELSE ${c} END`
      : c;
    return `CASE WHEN ${special(c)} THEN '"' || replace(${guarded}, '"', '""') || '"' ELSE ${guarded} END`;
  });
  const body = fields.length === 1 ? `concat(${fields[0]})` : `concat(${fields.join(`, ${sep}, `)})`;
  return { sql: `SELECT ${body} FROM (${inner.sql})`, params: inner.params };
}
