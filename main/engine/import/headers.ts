/**
 * Maps the header row of an export onto the 24 known columns: canonical names and aliases from
 * older portal versions, matched after normalising case, spaces and punctuation, in any order.
 */
import { COLUMNS, normaliseHeader, type ColumnId } from '../../../common/columns';
import { EngineError } from '../errors';

const BY_NAME = new Map<string, ColumnId>();
for (const c of COLUMNS) {
  BY_NAME.set(normaliseHeader(c.id), c.id);
  BY_NAME.set(normaliseHeader(c.header), c.id);
  for (const a of c.aliases) BY_NAME.set(normaliseHeader(a), c.id);
}

/** The export's 24 header names, the three every export must have first. */
const EXPECTED = [
  ...COLUMNS.filter((c) => c.required === true).map((c) => `${c.header} (required)`),
  ...COLUMNS.filter((c) => c.required !== true).map((c) => c.header),
].join(', ');

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

export interface HeaderMapping {
  /** For each field position: the column it fills, or null for an unknown column (kept in `extra`). */
  readonly columns: readonly (ColumnId | null)[];
  readonly headers: readonly string[];
  readonly unknown: readonly string[];
}

export function columnForHeader(header: string): ColumnId | undefined {
  return BY_NAME.get(normaliseHeader(header));
}

/** How many headers name a known column; used by delimiter sniffing to pick the right split. */
export function knownHeaderCount(headers: readonly string[]): number {
  return headers.filter((h) => columnForHeader(h) !== undefined).length;
}

/**
 * Throws IMPORT_FAILED naming the missing required columns (or saying the file is not an export at
 * all when nothing matches). A column named twice keeps its first position; the second goes to `extra`.
 */
export function mapHeaders(rawHeaders: readonly string[]): HeaderMapping {
  const headers = rawHeaders.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
  const seen = new Set<ColumnId>();
  const columns: (ColumnId | null)[] = [];
  const unknown: string[] = [];
  for (const h of headers) {
    const id = columnForHeader(h);
    if (id !== undefined && !seen.has(id)) {
      seen.add(id);
      columns.push(id);
    } else {
      columns.push(null);
      unknown.push(h);
    }
  }
  const missing = COLUMNS.filter((c) => c.required === true && !seen.has(c.id)).map((c) => c.header);
  if (seen.size === 0) {
    const found = headers.slice(0, 8).map((h) => (h === '' ? '(empty)' : `"${clip(h)}"`));
    throw new EngineError(
      'IMPORT_FAILED',
      `This is not a Retarus delivery export: none of its columns (${found.join(', ')}${headers.length > 8 ? ', …' : ''}) is a known export column. Expected a header line naming the export's columns: ${EXPECTED}.`,
      { missing, found: headers.slice(0, 50), expected: COLUMNS.map((c) => c.header) },
    );
  }
  if (missing.length > 0) {
    throw new EngineError(
      'IMPORT_FAILED',
      `The file lacks the column(s) every delivery export has: ${missing.join(', ')}.`,
      { missing },
    );
  }
  return { columns, headers, unknown };
}
