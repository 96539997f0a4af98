/**
 * Rows [from, to) of a set of records in (creation time, id) order, from the page reader's hour codes
 * (column-codes.ts HOUR_CODE_EXPR): the records are counted per hour, the hours covering the window
 * picked in time order, and only their records looked up and sorted exactly by SQL.
 *
 * Why: status-page.ts sorted every match of a status value by looking each up (`jane` by Status at
 * 5M rows: ~75k-340k matches a value, 0.4-0.6 s under load for a first page, after its set).
 *
 * Exact: hours are disjoint time ranges ordered as their integer values (SQLite's integer division
 * truncates toward zero, so hour 0 is (-1 h, 1 h), still one range between hour -1 and hour 1); records
 * without a time ('xnull') sort first ascending, as NULL does in SQLite, and last descending; a time
 * stored as another type declines (null: the caller sorts all). The picked hours hold a contiguous
 * run of the order, which the SQL sort of their records orders as the whole would.
 */
import type { Database } from 'better-sqlite3';
import { columnCodes, HOUR_CODE_EXPR } from './column-codes';

/** Hour codes in (time, id) order, ascending (null-time first); null if a code is no integer hour. */
function hourRanks(values: readonly unknown[]): number[] | null {
  const nulls: number[] = [];
  const timed: number[] = [];
  for (let code = 1; code < values.length; code++) {
    const v = values[code];
    if (v === 'xnull') nulls.push(code);
    else if (typeof v === 'number' && Number.isSafeInteger(v)) timed.push(code);
    else return null;
  }
  timed.sort((a, b) => (values[a] as number) - (values[b] as number));
  return [...nulls, ...timed];
}

/**
 * The ids among `ids` (each covered by the codes: id <= their coverage) at rows [from, to) of the
 * order (creation_time_ms, id), ascending or descending; null where the hour codes do not serve.
 * Call inside the caller's read transaction.
 */
export function hourWindow(
  db: Database,
  ids: readonly number[],
  asc: boolean,
  from: number,
  to: number,
): number[] | null {
  const got = columnCodes(db, HOUR_CODE_EXPR);
  if (got === null) return null;
  const { codes, values } = got.col;
  const ranks = hourRanks(values);
  if (ranks === null) return null;
  const counts = new Uint32Array(values.length);
  for (const id of ids) {
    if (id > got.upto || id >= codes.length) return null;
    counts[codes[id]]++;
  }
  const want = new Uint8Array(values.length);
  let before = 0;
  let skipped = 0;
  for (let r = 0; r < ranks.length && before < to; r++) {
    const code = ranks[asc ? r : ranks.length - 1 - r];
    const n = counts[code];
    if (n === 0) continue;
    if (before + n > from) want[code] = 1;
    else skipped += n;
    before += n;
  }
  const picked = ids.filter((id) => want[codes[id]] === 1);
  return byTime(db, picked, asc, to - from, from - skipped);
}

/** Rows [offset, offset + limit) of `ids` in (time, id) order, each looked up by id. */
export function byTime(
  db: Database,
  ids: readonly number[],
  asc: boolean,
  limit: number,
  offset: number,
): number[] {
  const dir = asc ? 'ASC' : 'DESC';
  return db
    .prepare(
      `SELECT id FROM records NOT INDEXED WHERE id IN (SELECT value FROM json_each(?))
       ORDER BY creation_time_ms ${dir}, id ${dir} LIMIT ? OFFSET ?`,
    )
    .pluck()
    .all(JSON.stringify(ids), limit, offset) as number[];
}
