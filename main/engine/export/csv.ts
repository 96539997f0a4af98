/**
 * RFC 4180 field formatting for the export, plus the formula-injection guard (its rule is in
 * common/formula-guard.ts). Pure string code, shared by the fast path (rows pre-joined by SQLite) and
 * by tests. The guard is on unless a caller passes false.
 */
import { GUARD_START_SOURCE, guardCell } from '../../../common/formula-guard';

export type ExportDelimiter = ',' | ';';

/**
 * Unit Separator (U+001F): joins the fields SQLite concatenates for the fast path. It never needs
 * CSV quoting and is vanishingly rare in delivery data; the exporter still detects it in a value
 * and then falls back to formatting every field in SQL, so a file is never corrupted by it.
 */
export const FIELD_SEP = '\x1f';
export const FIELD_SEP_CODE = 0x1f;

/** Characters that force a field into quotes, per delimiter. */
const NEEDS_QUOTES: Readonly<Record<ExportDelimiter, RegExp>> = {
  ',': /[",\r\n]/,
  ';': /[";\r\n]/,
};

/**
 * Whether a pre-joined row (fields separated by FIELD_SEP) can be written as it is: no field needs
 * quotes and, with the guard on, no field starts with a guard character. False positives only cost
 * the slower per-field path.
 */
export function fastRowTest(delimiter: ExportDelimiter, guard = true): RegExp {
  const quote = delimiter === ',' ? '[",\\r\\n]' : '[";\\r\\n]';
  // A field starts at the line start or after U+001F (never one of the guard's skipped characters).
  return new RegExp(guard ? `${quote}|(?:^|\\x1f)${GUARD_START_SOURCE}` : quote, 'u');
}

/** One CSV field: guard first (so the quote character it adds is inside the quotes), then quoting. */
export function formatField(value: string, delimiter: ExportDelimiter, guard = true): string {
  const v = guard ? guardCell(value) : value;
  return NEEDS_QUOTES[delimiter].test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Formats a pre-joined row field by field, keeping FIELD_SEP between fields (the writer turns every
 * separator into the delimiter in one pass). Returns null when the field count is off, i.e. a value
 * itself contains FIELD_SEP.
 */
export function formatJoinedRow(
  line: string,
  columns: number,
  delimiter: ExportDelimiter,
  guard = true,
): string | null {
  const fields = line.split(FIELD_SEP);
  if (fields.length !== columns) return null;
  for (let i = 0; i < fields.length; i++) fields[i] = formatField(fields[i], delimiter, guard);
  return fields.join(FIELD_SEP);
}

/** A whole CSV line from plain values (header line, tests). */
export function formatLine(
  values: readonly (string | number | null)[],
  delimiter: ExportDelimiter,
  guard: boolean,
): string {
  return values.map((v) => formatField(v === null ? '' : String(v), delimiter, guard)).join(delimiter);
}
