/**
 * Pages sorted by a column of few values that no index orders (processing region, entry interface),
 * read value by value. The summaries (summary.ts) know how many records of each value match a filter
 * they answer, so a page is the rows of one or two values, each read in id order:
 * `WHERE <filter> AND col IS ? ORDER BY id LIMIT n OFFSET k`. SQLite stops each read after n rows,
 * where ordering the whole table by (col, id) reads every record first: 5M rows, ~1 s whatever the
 * page (README, "Sorts at 5M").
 *
 * A value with few matching rows among many records costs a long read until its last row; the plan
 * below estimates each read from the counts and declines (null: the caller sorts the whole table as
 * before, where SQLite may use a selective filter's index) beyond MAX_PASSES over the table. Filters
 * with a time bound are declined too (see valueCounts). Records never hold '' in these columns (the
 * import stores NULL), so the summaries' NULL is the records' NULL.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel, RecordRow } from '../../../common/contract';
import { and, type Param, type SqlPart } from './filter';
import type { ResolvedSortKey } from './sql';
import { RECORD_SELECT } from './sql';
import { FACET_FIELDS, FACET_ROWS, pendingRecords, summaryCoverage, summaryFilter } from './summary';

/** Sort expressions the summaries count by value (columns of summary_facets). */
const WALK_EXPRS = new Set(['processing_region', 'entry_interface']);

/** One value of the sort column and how many records with it match the filter. */
export interface ValueCount {
  readonly v: Param | null;
  readonly n: number;
}

/**
 * The column's values with their counts under the filter, in the sort's order (SQLite's, NULL first
 * when ascending); null when no summary answers the filter. Summary rows plus the pending records.
 */
function valueCounts(db: Database, filter: FilterModel, key: ResolvedSortKey): ValueCount[] | null {
  const coverage = summaryCoverage(db);
  if (coverage === 0) return null;
  // summary_facets: filters without a time bound only. The plan assumes a value's rows are spread over
  // the ids, which a time range breaks (records are imported in time order, so its rows cluster).
  const where = summaryFilter(filter, false, FACET_FIELDS);
  if (where === null) return null;
  const rows = FACET_ROWS;
  const late = pendingRecords(where, coverage);
  const col = key.expr;
  const dir = key.dir === 'asc' ? 'ASC' : 'DESC';
  return db
    .prepare(
      `SELECT v, sum(n) AS n FROM (
         SELECT ${col} AS v, sum(n) AS n FROM ${rows} WHERE ${where.sql} GROUP BY 1
         UNION ALL
         SELECT ${col}, count(*) FROM records NOT INDEXED WHERE ${late.sql} GROUP BY 1
       ) GROUP BY v HAVING sum(n) > 0 ORDER BY v ${dir}`,
    )
    .all(...where.params, ...late.params) as ValueCount[];
}

/** One read of the plan: `limit` rows of value `v` after skipping `skip` of them. */
export interface Read {
  readonly v: Param | null;
  readonly skip: number;
  readonly limit: number;
}

/**
 * Most passes over the table a plan may cost; beyond it the whole-table sort (one pass and a sorter)
 * is used. A page that spans two values reads the first to its last row (up to one pass) and the
 * start of the next, so a little over one pass is allowed.
 */
const MAX_PASSES = 1.25;

/**
 * The reads that give rows [startRow, startRow + limit), or null when they would cost more than
 * MAX_PASSES: each read is estimated as a pass over (skip + limit) / n of the table, as if a value's
 * rows were spread evenly over the ids (reading a value to its last row counts as a whole pass).
 */
export function planReads(counts: readonly ValueCount[], startRow: number, limit: number): Read[] | null {
  const reads: Read[] = [];
  let before = 0;
  let taken = 0;
  let passes = 0;
  for (const { v, n } of counts) {
    if (taken >= limit) break;
    if (before + n > startRow) {
      const skip = Math.max(0, startRow - before);
      const take = Math.min(n - skip, limit - taken);
      reads.push({ v, skip, limit: take });
      taken += take;
      passes += (skip + take) / n;
    }
    before += n;
  }
  return passes > MAX_PASSES ? null : reads;
}

/** Whether the first sort key is one this walk can serve (the rest is the id tie-break). */
export function walkable(keys: readonly ResolvedSortKey[]): boolean {
  return keys.length === 2 && WALK_EXPRS.has(keys[0].expr) && keys[1].expr === 'id';
}

/**
 * The page [startRow, startRow + limit) of the filter sorted by `keys` (walkable), or null when the
 * summaries cannot count it or the reads would cost more than sorting the table.
 */
export function walkPage(
  db: Database,
  filter: FilterModel,
  where: SqlPart,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  limit: number,
): RecordRow[] | null {
  // One read transaction: counts and rows from the same snapshot, even if an import commits between.
  return db.transaction(() => walk(db, filter, where, keys, startRow, limit))();
}

function walk(
  db: Database,
  filter: FilterModel,
  where: SqlPart,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  limit: number,
): RecordRow[] | null {
  const counts = valueCounts(db, filter, keys[0]);
  if (counts === null) return null;
  const reads = planReads(counts, startRow, limit);
  if (reads === null) return null;
  const col = keys[0].expr;
  const dir = keys[1].dir === 'asc' ? 'ASC' : 'DESC';
  const rows: RecordRow[] = [];
  for (const r of reads) {
    const value: SqlPart =
      r.v === null ? { sql: `${col} IS NULL`, params: [] } : { sql: `${col} = ?`, params: [r.v] };
    const cond = and([where, value]);
    // In id order, not through a filter's index: for status:error SQLite chose records_status_time and
    // sorted all 160k error rows by id (1M rows: 263 ms, against 1 ms reading ids until 100 matched).
    // The plan's estimate keeps this read short; selective filters go to the whole-table sort, where
    // SQLite may use their index. Ids first, then the page's records by id.
    const sql = `SELECT ${RECORD_SELECT} FROM records WHERE id IN
      (SELECT id FROM records NOT INDEXED WHERE ${cond.sql} ORDER BY id ${dir} LIMIT ? OFFSET ?) ORDER BY id ${dir}`;
    rows.push(...(db.prepare(sql).all(...cond.params, r.limit, r.skip) as RecordRow[]));
  }
  return rows;
}
