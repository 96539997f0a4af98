/**
 * A first page sorted by status, substatus or status details under a filter whose id set is not at
 * hand (neither the search's, nor kept, nor from the value codes): the first records of the
 * unfiltered order, read along the column's (column, creation_time_ms) index, tested against the
 * filter by id (code-probe.ts). Once they hold endRow matches, those are the page: every record
 * sorting before them was tested.
 *
 * Why: status-page.ts otherwise found the filter's whole set before the first page. For a free word
 * on a connection without the aggregate reader's sets (the bench's bare page reader), that is the
 * trigram lookup of every vocabulary candidate and a pass over the address map: `jane` at 5M rows
 * (416k matches), 341-367 ms a first page by each of the three columns in both directions (quiet run
 * of the twelfth session), where the page lies within the first ~1 300 records of the order.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { probeCandidates, PROBE_CANDIDATES } from './code-probe';
import { compileWhere } from './filter';
import { createResolver } from './resolver';

/**
 * Ids of rows [startRow, endRow) of the filtered order (expr, creation_time_ms, id), all in one
 * direction, from the first records of `index` (expr, creation_time_ms) + rowid; null when the
 * probes hold fewer than endRow matches and not every record. Call inside the page's read transaction.
 */
export function probeIndex(
  db: Database,
  index: string,
  expr: string,
  asc: boolean,
  filter: FilterModel,
  startRow: number,
  endRow: number,
): number[] | null {
  const dir = asc ? 'ASC' : 'DESC';
  // The index holds the rowid after the time: this order is its own, no sort step.
  const first = db
    .prepare(
      `SELECT id FROM records INDEXED BY ${index} ORDER BY ${expr} ${dir}, creation_time_ms ${dir}, id ${dir} LIMIT ?`,
    )
    .pluck();
  const where = compileWhere(filter, createResolver(db));
  for (const n of PROBE_CANDIDATES) {
    const size = Math.max(n, 4 * endRow);
    const candidates = first.all(size) as number[];
    const page = probeCandidates(db, candidates, where, startRow, endRow, candidates.length < size);
    if (page !== null) return page;
  }
  return null;
}
