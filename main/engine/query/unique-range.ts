/**
 * An unfiltered page sorted by Message To (a unique column that an index orders) from that index: the buckets picked by unique-page.ts cover one range of values, bounded by their
 * splitters, so their records are one contiguous stretch of the index, read with the values (no
 * table lookup), instead of a pass over the codes between the buckets' lowest and highest ids and a
 * lookup of each of their records' values by id. Those records' ids are spread over the whole table
 * (addresses come in no id order), so the pass read most of the 5M codes (25-69 ms under load).
 *
 * Exact: the codes count every record of the read transaction (unique-codes.ts uniqueCodes), so the
 * range holds exactly the picked buckets' records when its row count equals theirs; otherwise (or
 * where a bound is not TEXT, or the range is open at an end, which would take in NULLs) null: the
 * caller's pass over the codes. TEXT bounds compare as the sort orders (BINARY, sql-order.ts); lower()
 * has no affinity to convert a bound.
 */
import type { Database } from 'better-sqlite3';
import { boundTerm, deltaTerm, partialIndexUpto } from './partial-index';
import type { UniqueColumn } from './unique-codes';
import { compareSqlValues, type SqlValue } from './sql-order';

/**
 * The index whose first key is the expression (migrations.ts; partial ones: grid-partial.ts). Not
 * Correlation ID: its ids come nearly in id order, so its pass is short and the range read the same
 * (5M, row 2 500 000, under load: 0.6-13 ms against 0.6-17 ms).
 */
const RANGE_INDEXES: ReadonlyMap<string, string> = new Map([
  ['lower(message_to)', 'records_to'],
  ['usage_id', 'records_usage'],
  ['job_id', 'records_job'],
  ['smtp_status_code', 'records_smtp'],
]);

/** The bound at the low (`low`) or high end of bucket `code`, or null where it is not a TEXT splitter. */
function bound(col: UniqueColumn, code: number, low: boolean): { op: string; value: string } | null {
  const i = (code - 1) >> 1;
  // Even codes hold one splitter's value; odd ones lie strictly between splitters i - 1 and i.
  const even = code % 2 === 0;
  const at = even ? i : low ? i - 1 : i;
  const value = at >= 0 && at < col.splitters.length ? col.splitters[at] : null;
  if (typeof value !== 'string') return null;
  return { op: low ? (even ? '>=' : '>') : even ? '<=' : '<', value };
}

/**
 * Ids of the picked buckets (`codes`, `total` records in all) in the sort's order, read as one range
 * of the column's index; null where that does not serve (see above).
 */
export function rangeOrdered(
  db: Database,
  col: UniqueColumn,
  expr: string,
  asc: boolean,
  idAsc: boolean,
  codes: readonly number[],
  total: number,
): number[] | null {
  const index = RANGE_INDEXES.get(expr);
  const upto = index === undefined ? null : partialIndexUpto(db, index);
  if (index === undefined || upto === null || codes.length === 0) return null;
  const lo = bound(col, Math.min(...codes), true);
  const hi = bound(col, Math.max(...codes), false);
  if (lo === null || hi === null) return null;
  // A partial index (grid-partial.ts) holds the records up to its bound; the delta above is read by
  // rowid range.
  const range = `${expr} ${lo.op} ? AND ${expr} ${hi.op} ?`;
  const rows = db
    .prepare(
      `SELECT id, ${expr} FROM records INDEXED BY ${index} WHERE ${boundTerm(upto)} AND ${range}
       UNION ALL SELECT id, ${expr} FROM records WHERE ${deltaTerm(upto)} AND ${range}`,
    )
    .raw()
    .all(lo.value, hi.value, lo.value, hi.value) as [number, SqlValue][];
  if (rows.length !== total) return null;
  rows.sort((a, b) => {
    const d = compareSqlValues(a[1], b[1]);
    if (d !== 0) return asc ? d : -d;
    return idAsc ? a[0] - b[0] : b[0] - a[0];
  });
  return rows.map((r) => r[0]);
}
