/**
 * A first page under a filter whose id set is not known, from the records that come first in the
 * sort's order, tested against the filter by id: once they hold endRow matches, those are the page
 * (every record sorting before them was tested). For the coded columns (sort-codes.ts) on a
 * connection without the aggregate reader's sets (the bench's bare page reader; the app before the
 * set arrives), the page otherwise waited for the filter's whole set by SQL: 5M rows under load,
 * `jane` 1.5-2.7 s a first page by every coded column, `after:2026-10-20` 0.5-1.4 s.
 * unique-page.ts' uniqueProbeIds does the same over bucket codes.
 */
import type { Database } from 'better-sqlite3';
import type { SqlPart } from './filter';

/** Records tested against the filter: a first batch (enough for most filters), then a larger one. */
export const PROBE_CANDIDATES = [2_000, 20_000] as const;

/**
 * Rows [startRow, endRow) among `candidates` (ids in the sort's order, the first of every record)
 * that match `where`, or null when fewer than endRow match and `all` is false (the candidates are
 * not every record): the caller's paths then find the set.
 */
export function probeCandidates(
  db: Database,
  candidates: readonly number[],
  where: SqlPart,
  startRow: number,
  endRow: number,
  all: boolean,
): number[] | null {
  const matched = new Set(
    db
      .prepare(`SELECT id FROM records WHERE id IN (SELECT value FROM json_each(?)) AND (${where.sql})`)
      .pluck()
      .all(JSON.stringify(candidates), ...where.params) as number[],
  );
  if (matched.size < endRow && !all) return null;
  return candidates.filter((id) => matched.has(id)).slice(startRow, endRow);
}
