/**
 * Unfiltered deep pages sorted by status, substatus or status details. resolveSort orders those by
 * (column, creation_time_ms, id), which their (column, creation_time_ms) indexes hold (the rowid
 * last), so the page at row 2 500 000 was `ORDER BY ... LIMIT 100 OFFSET 2500000` walking 2.5M index
 * entries: 29-36 ms at 5M on a quiet machine (target 20 ms; README, 12p).
 *
 * Marks, built while the page reader is idle: per value of the column, its record count and the
 * (time, id) of every MARKS_EVERY-th record of that value in (time, id) order. A page then finds the
 * values covering its rows from the counts, and inside each the mark at or before its first row: one
 * index seek and fewer than MARKS_EVERY entries skipped. Descending pages are the ascending window
 * [n - to, n - from) of a value, read and reversed.
 *
 * Exact: the marks belong to one records generation and one max(id) (records-generation.ts: any
 * insert raises max(id), a delete or update bumps the generation), both checked in the page's read
 * transaction; after an append or a removal, and while they are still building, the page takes the
 * OFFSET path as before, and the next idle steps build them afresh. Building needs no other memory
 * (not the value codes): a 5M case is ~1 200 seeks a column, each skipping MARKS_EVERY entries.
 */
import type { Database } from 'better-sqlite3';
import { schemaHas } from '../db/meta';
import { maxRecordId, recordsGeneration } from './records-generation';
import type { RecordRow } from '../../../common/contract';
import { recordsOf } from './sort-ids';
import type { ResolvedSortKey } from './sql';

/** Within a value, every this-many-th record is marked: a page skips fewer index entries than this. */
export const MARKS_EVERY = 4096;

/** Wall time one idle step aims at (a page arriving during a step waits for it), as the codes' steps. */
const STEP_MS = 20;

/** The columns served and their (column, creation_time_ms) indexes (migrations.ts). */
export const MARKED_INDEXES: ReadonlyMap<string, string> = new Map([
  ['status', 'records_status_time'],
  ['substatus', 'records_substatus_time'],
  ['status_details', 'records_details_time'],
]);

type Value = string | number | null;
type Time = number | null;

/** Where a value's records are in its index: `times[i]`, `ids[i]` is its record i * every. */
interface ValueMarks {
  readonly v: Value;
  n: number;
  readonly times: Time[];
  readonly ids: number[];
}

interface ColumnMarks {
  readonly generation: string;
  readonly top: number;
  readonly every: number;
  /** Complete values, ascending as SQLite orders them (NULL first). */
  readonly values: ValueMarks[];
  /** The value being marked; null between values. */
  cur: ValueMarks | null;
  /** The last value completed (undefined: none yet), to seek the next distinct one after it. */
  last: { readonly v: Value } | undefined;
  done: boolean;
}

const enabled = new WeakSet<Database>();
const marksOf = new WeakMap<Database, Map<string, ColumnMarks>>();

/** Lets this connection build marks while idle (the page reader: a few KB a column). */
export function enableStatusMarks(db: Database): void {
  enabled.add(db);
}

/** Forgets the marks (tests compare both paths with it). */
export function dropStatusMarks(db: Database): void {
  marksOf.delete(db);
}

/** `(time, id)` rows of value `v` from mark (t, id) on, ascending, after skipping `skip`; `limit` at most. */
function readFrom(
  db: Database,
  index: string,
  expr: string,
  v: Value,
  t: Time,
  id: number,
  skip: number,
  limit: number,
): { rows: [Time, number][]; skip: number } {
  const head = `SELECT creation_time_ms, id FROM records INDEXED BY ${index} WHERE ${expr} IS ?`;
  if (t === null) {
    // NULL times sort first within the value (ascending), in id order; a row-value comparison with
    // NULL is never true, so that segment is read on its own.
    const cond = `${head} AND creation_time_ms IS NULL AND id >= ?`;
    const rows = db
      .prepare(`${cond} ORDER BY creation_time_ms, id LIMIT ? OFFSET ?`)
      .raw()
      .all(v, id, limit, skip) as [Time, number][];
    if (rows.length > 0) skip = 0;
    else if (skip > 0) {
      const c = db.prepare(`SELECT count(*) FROM (${cond})`).pluck().get(v, id) as number;
      skip = Math.max(0, skip - c);
    }
    if (rows.length >= limit) return { rows, skip };
    const more = db
      .prepare(`${head} AND creation_time_ms IS NOT NULL ORDER BY creation_time_ms, id LIMIT ? OFFSET ?`)
      .raw()
      .all(v, limit - rows.length, skip) as [Time, number][];
    if (more.length > 0) skip = 0;
    return { rows: rows.concat(more), skip };
  }
  const rows = db
    .prepare(`${head} AND (creation_time_ms, id) >= (?, ?) ORDER BY creation_time_ms, id LIMIT ? OFFSET ?`)
    .raw()
    .all(v, t, id, limit, skip) as [Time, number][];
  return { rows, skip: rows.length > 0 ? 0 : skip };
}

/** Records of value `v` from mark (t, id) on (the rest of the value: at most `every` of them). */
function countFrom(db: Database, index: string, expr: string, v: Value, t: Time, id: number): number {
  const head = `SELECT count(*) FROM records INDEXED BY ${index} WHERE ${expr} IS ?`;
  if (t !== null)
    return db.prepare(`${head} AND (creation_time_ms, id) >= (?, ?)`).pluck().get(v, t, id) as number;
  return (
    (db.prepare(`${head} AND creation_time_ms IS NULL AND id >= ?`).pluck().get(v, id) as number) +
    (db.prepare(`${head} AND creation_time_ms IS NOT NULL`).pluck().get(v) as number)
  );
}

/** The first value after `last` in the index's order (NULL first), or undefined at the end. */
function nextValue(
  db: Database,
  index: string,
  expr: string,
  last: ColumnMarks['last'],
): { v: Value } | undefined {
  const head = `SELECT ${expr} AS v FROM records INDEXED BY ${index}`;
  const row =
    last === undefined
      ? db.prepare(`${head} ORDER BY ${expr} LIMIT 1`).get()
      : last.v === null
        ? db.prepare(`${head} WHERE ${expr} IS NOT NULL ORDER BY ${expr} LIMIT 1`).get()
        : db.prepare(`${head} WHERE ${expr} > ? ORDER BY ${expr} LIMIT 1`).get(last.v);
  return row as { v: Value } | undefined;
}

/** One piece of marking `m`: the next value's first record, or its next mark, or its end. */
function markOne(db: Database, index: string, expr: string, m: ColumnMarks): void {
  const cur = m.cur;
  if (cur === null) {
    const next = nextValue(db, index, expr, m.last);
    if (next === undefined) {
      m.done = true;
      return;
    }
    const first = readFrom(db, index, expr, next.v, null, 0, 0, 1).rows[0];
    m.cur = { v: next.v, n: 0, times: [first[0]], ids: [first[1]] };
    return;
  }
  const i = cur.ids.length - 1;
  const hit = readFrom(db, index, expr, cur.v, cur.times[i], cur.ids[i], m.every, 1).rows[0];
  if (hit !== undefined) {
    cur.times.push(hit[0]);
    cur.ids.push(hit[1]);
    return;
  }
  cur.n = i * m.every + countFrom(db, index, expr, cur.v, cur.times[i], cur.ids[i]);
  m.values.push(cur);
  m.last = { v: cur.v };
  m.cur = null;
}

/**
 * One step of building the marks of the three columns, in one read transaction; true while more
 * steps are needed. For the page reader's idle loop (worker/idle-codes.ts) and the bench.
 */
export function stepStatusMarks(db: Database, every = MARKS_EVERY, stepMs = STEP_MS): boolean {
  if (!enabled.has(db)) return false;
  return db.transaction(() => {
    const generation = recordsGeneration(db);
    const top = maxRecordId(db);
    let cols = marksOf.get(db);
    if (cols === undefined) {
      cols = new Map();
      marksOf.set(db, cols);
    }
    const t0 = performance.now();
    for (const [expr, index] of MARKED_INDEXES) {
      let m = cols.get(expr);
      if (m === undefined || m.generation !== generation || m.top !== top || m.every !== every) {
        m = { generation, top, every, values: [], cur: null, last: undefined, done: top === 0 };
        cols.set(expr, m);
      }
      if (m.done) continue;
      // An import may have dropped the index until its index phase: nothing to mark now.
      if (!schemaHas(db, index)) return false;
      // At least one piece a step, so that a step always moves on.
      do markOne(db, index, expr, m);
      while (!m.done && performance.now() - t0 < stepMs);
      if (!m.done) return true;
    }
    return false;
  })();
}

/** Whether the marks of `expr` are complete for the records now (tests and the bench check it). */
export function statusMarksReady(db: Database, expr: string): boolean {
  const m = marksOf.get(db)?.get(expr);
  return m !== undefined && m.done && m.generation === recordsGeneration(db) && m.top === maxRecordId(db);
}

/**
 * Ids of rows [startRow, endRow) of the unfiltered sort `keys` (column, time, id, all one direction)
 * from the marks, or null where they do not serve (another sort, marks missing, building, or of other
 * records): the caller's OFFSET path. Call inside the page's read transaction.
 */
export function markedPageIds(
  db: Database,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  endRow: number,
): number[] | null {
  if (keys.length !== 3 || keys[1].expr !== 'creation_time_ms' || keys[2].expr !== 'id') return null;
  const expr = keys[0].expr;
  const index = MARKED_INDEXES.get(expr);
  if (index === undefined || keys[1].dir !== keys[0].dir || keys[2].dir !== keys[0].dir) return null;
  const m = marksOf.get(db)?.get(expr);
  if (m === undefined || !m.done || !statusMarksReady(db, expr) || !schemaHas(db, index)) return null;
  const asc = keys[0].dir === 'asc';
  const values = asc ? m.values : [...m.values].reverse();
  const ids: number[] = [];
  let before = 0;
  for (const val of values) {
    if (before >= endRow) break;
    const from = Math.max(0, startRow - before);
    const to = Math.min(val.n, endRow - before);
    before += val.n;
    if (from >= to) continue;
    // Descending: the same records as the ascending window mirrored inside the value, reversed.
    const a = asc ? from : val.n - to;
    const j = Math.floor(a / m.every);
    const got = readFrom(db, index, expr, val.v, val.times[j], val.ids[j], a - j * m.every, to - from);
    const part = got.rows.map((r) => r[1]);
    ids.push(...(asc ? part : part.reverse()));
  }
  return ids;
}

/** Rows [startRow, endRow) of an unfiltered sort by a marked column, or null (markedPageIds). */
export function markedPage(
  db: Database,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  endRow: number,
): RecordRow[] | null {
  return db.transaction(() => {
    const ids = markedPageIds(db, keys, startRow, endRow);
    return ids === null ? null : recordsOf(db, ids);
  })();
}
