/**
 * Narrow indexes that order the grid by a column no other index starts with. Without one, the first
 * page of such a sort reads every record (~450 bytes each) to find the smallest keys: 5M rows,
 * 0.7-1 s (README, "Sorts at 5M"). An index over the column alone holds (value, rowid), so it gives
 * the rows in (value, id) order, the sort with its id tie-break, and keyset paging seeks through it.
 *
 * Built in the search-index phase (search-index.ts DEFERRED_INDEXES), after the grid is ready: until
 * then, and whenever a load has dropped it, the sort reads the table as before (same rows, slower).
 *
 * Walking the index checks the filter on each record it passes (a table lookup each): for a filter
 * that matches few records, or a deep page, that is most of the table in random order (5M rows,
 * `after:` matching none: 53 s, measured). So it pages unfiltered sorts (keyset), and a filtered page
 * only if it lies within the index's first PROBE_ENTRIES entries (probePage); otherwise the table is
 * sorted as before, with the index kept out of it.
 * Only message_size so far: the columns of few values are read value by value (sort-walk.ts) at no
 * import cost, and each index costs the first import one more pass over the table.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel, RecordRow } from '../../../common/contract';
import { schemaHas } from '../db/meta';
import type { SqlPart } from './filter';
import { orderBySql, RECORD_SELECT, type ResolvedSortKey } from './sql';
import { maxRecordId } from './records-generation';

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

/**
 * Index entries a filtered page may read: each is a table lookup (~2-5 µs at 5M rows, under load), so
 * a probe costs tens of ms at most, and a filter matching 1 % of the records fills a first page in it.
 */
export const PROBE_ENTRIES = 10_000;

/** No term, condition or time bound: every record. */
export function unfiltered(filter: FilterModel): boolean {
  return (
    (filter.q ?? '').trim() === '' &&
    (filter.conditions ?? []).length === 0 &&
    filter.timeFrom === undefined &&
    filter.timeTo === undefined
  );
}

function indexOf(db: Database, keys: readonly ResolvedSortKey[]): SortIndex | null {
  if (keys.length !== 2) return null;
  const idx = SORT_INDEXES.find((i) => i.expr === keys[0].expr);
  return idx !== undefined && schemaHas(db, idx.name) ? idx : null;
}

/** The sort index to page an unfiltered sort by `keys` through (keyset, paging.ts), or null. */
export function sortIndexFor(
  db: Database,
  filter: FilterModel,
  keys: readonly ResolvedSortKey[],
): string | null {
  return unfiltered(filter) ? (indexOf(db, keys)?.name ?? null) : null;
}

/**
 * Rows [startRow, endRow) of a filtered sort, found among the first `probe` entries of the sort index;
 * null when they are not all there (the caller then sorts the table). The index gives (value, id) in
 * the sort's order, NULLs where ORDER BY puts them, so the first endRow matches among its first
 * entries are the first endRow matches of all: exact, and bounded to `probe` lookups.
 */
export function probePage(
  db: Database,
  where: SqlPart,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  endRow: number,
  probe = PROBE_ENTRIES,
): RecordRow[] | null {
  const idx = indexOf(db, keys);
  if (idx === null) return null;
  // A page ending past the probe cannot be in it (unless the probe is the whole index): no lookups.
  // Ids are positive rowids: no index holds more entries than the largest.
  if (endRow > probe && probe < maxRecordId(db)) return null;
  // One snapshot for the probe, the entry count and the rows.
  return db.transaction(() => probeIn(db, idx, where, keys, startRow, endRow, probe))();
}

function probeIn(
  db: Database,
  idx: SortIndex,
  where: SqlPart,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  endRow: number,
  probe: number,
): RecordRow[] | null {
  const dir = keys[0].dir === 'asc' ? 'ASC' : 'DESC';
  const col = idx.expr;
  // CROSS JOIN keeps the probe the outer loop: the records are looked up for its entries only, and
  // ordering by the probe's own columns follows its order (no sort), so the read stops at endRow.
  const ids = db
    .prepare(
      `SELECT r.id FROM (SELECT id AS pid, ${col} AS k FROM records INDEXED BY ${idx.name} ORDER BY ${col} ${dir}, id ${dir} LIMIT ?) AS p
       CROSS JOIN records AS r ON r.id = p.pid WHERE ${where.sql} ORDER BY p.k ${dir}, p.pid ${dir} LIMIT ?`,
    )
    .pluck()
    .all(probe, ...where.params, endRow) as number[];
  if (ids.length < endRow) {
    // Fewer matches than asked: the answer only if the probe read the whole index.
    if (probe < maxRecordId(db)) return null;
  }
  const page = ids.slice(startRow, endRow);
  const rows = db
    .prepare(`SELECT ${RECORD_SELECT} FROM records WHERE id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(page)) as RecordRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return page.map((id) => byId.get(id) as RecordRow);
}

/**
 * ORDER BY for sorting the table: a sort index's column as `+column`, so that SQLite does not walk the
 * index checking the filter row by row (see above) but reads the filter's matches and sorts them.
 */
export function orderWithoutSortIndex(keys: readonly ResolvedSortKey[]): string {
  return orderBySql(
    keys.map((k) => (SORT_INDEXES.some((i) => i.expr === k.expr) ? { ...k, expr: `+${k.expr}` } : k)),
  );
}
