/**
 * Narrow indexes that order the grid by a column no other index starts with. Without one, the first
 * page of such a sort reads every record (~450 bytes each) to find the smallest keys: 5M rows,
 * 0.7-1 s (README, "Sorts at 5M"). An index over the column alone holds (value, rowid), so it gives
 * the rows in (value, id) order, the sort with its id tie-break, and keyset paging seeks through it.
 *
 * Built in the search-index phase (search-index.ts DEFERRED_INDEXES), after the grid is ready: until
 * then, and whenever a load has dropped it, the sort reads the table as before (same rows, slower).
 * Only message_size so far: the columns of few values are read value by value (sort-walk.ts) at no
 * import cost, and each index costs the first import one more pass over the table.
 */
import type { Database } from 'better-sqlite3';
import { schemaHas } from '../db/meta';

export interface SortIndex {
  readonly name: string;
  readonly sql: string;
  /** The sort expression (sql.ts ResolvedSortKey.expr) it serves. */
  readonly expr: string;
}

export const SORT_INDEXES: readonly SortIndex[] = [
  // Full, not partial (WHERE id <= K): a sort must find every record, appended ones included.
  {
    name: 'records_size',
    sql: 'CREATE INDEX IF NOT EXISTS records_size ON records(message_size)',
    expr: 'message_size',
  },
];

/** Whether a sort index for `expr` exists now (a load may have dropped it until its search-index phase). */
export function sortIndexed(db: Database, expr: string): boolean {
  const idx = SORT_INDEXES.find((i) => i.expr === expr);
  return idx !== undefined && schemaHas(db, idx.name);
}
