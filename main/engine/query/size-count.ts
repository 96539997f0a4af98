/**
 * The count of a search of size bounds alone (`size>100000`, `size>=1000 size<5000`) from the
 * records_size index: the filter compiles its size terms as `+message_size > ?` (filter.ts), a scan of
 * the table, since a page or a histogram that took the index read each match's row by a seek. A count
 * reads no row: the index range alone answers (measured under load at 1M rows: 4-30 ms, where the
 * scan took 176-595 ms).
 *
 * Only where the facts mirror is not complete (the CLI, a case whose memories are loading): with it,
 * match-ids.ts finds the ids in memory and counts them.
 */
import type { Database } from 'better-sqlite3';
import { LIMITS, type FilterModel } from '../../../common/contract';
import type { Param } from './filter';
import { idSetCap, MAX_MATCH_IDS_MIRROR } from './match-ids';
import { plainSearch } from './plain-search';
import { sortIndexed } from './sort-index';

const OPS: Readonly<Record<string, string>> = { ':': '=', '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

/** The count, or null when the filter is anything but size bounds or the index is missing. */
export function sizeCount(db: Database, filter: FilterModel): number | null {
  // Most counts are not of sizes: the word is looked for before the search is parsed.
  const q = typeof filter === 'object' && filter !== null ? filter.q : undefined;
  if (typeof q !== 'string' || !q.includes('size') || q.length > LIMITS.maxQueryLength) return null;
  const parsed = plainSearch(filter);
  if (parsed === null || parsed.terms.length === 0) return null;
  const bounds: string[] = [];
  const params: Param[] = [];
  for (const t of parsed.terms) {
    if (t.kind !== 'field' || t.field.kind !== 'size' || t.negate) return null;
    const op = OPS[t.op];
    if (op === undefined || t.number === undefined) return null;
    bounds.push(`message_size ${op} ?`);
    params.push(t.number);
  }
  // An index a load dropped (until its search-index phase) or the facts mirror: the usual paths.
  if (!sortIndexed(db, 'message_size') || idSetCap(db) >= MAX_MATCH_IDS_MIRROR) return null;
  return db
    .prepare(`SELECT count(*) FROM records INDEXED BY records_size WHERE ${bounds.join(' AND ')}`)
    .pluck()
    .get(...params) as number;
}
