/**
 * A selective filter's page sorted by an indexed column, read from the column's index restricted to
 * the filter's ids: the index is walked in key order and each entry's rowid tested against the id
 * set (a bitset, through a connection-local SQL function), so no record is looked up until the page's
 * own. The id sort of sort-ids.ts looks every matching record up instead (~450 bytes each, in random
 * order): 1M rows, `status:error` (160k ids) by Correlation ID at row 9 950 0.7-1.6 s, and at 5M
 * (800k ids) 8 s, under load; the walk passes about endRow / (share of records matching) entries.
 *
 * The walk is capped at SCAN_PER_ID entries per matching id (then the caller sorts the ids as
 * before), since a filter that goes with the column (`jane` by Message To) may leave the first match
 * deep in the index. Exact as probe-sides.ts: the walk stops where the page is covered (for an index
 * in (key, id) order at the endRow-th match, for the others once its key group is whole), the delta
 * above a partial index's bound is read from the id set, and the rows up to that point are ordered by
 * (key, id) in SQL.
 */
import type { Database } from 'better-sqlite3';
import type { Param, SqlPart } from './filter';
import type { MatchIds } from './match-ids';
import { oneSpelling, spellingColumn, throughKey, withinProbe } from './probe-sides';
import type { ResolvedSortKey } from './sql';

/**
 * Index entries the walk may pass per matching id: an entry costs a step and a bitset test (~0.3 µs),
 * a looked-up record ~2-5 µs, so past this the id sort is no slower. 6 was too few: `jane` by
 * Message To descending at 5M rows (416k ids) passes ~2.7M entries (6.6 a match) before its page,
 * so it hit the cap after ~0.4 s and then sorted the ids (1.1 s more); with 16 the walk finishes,
 * 0.64 s first page and 0.55-0.58 s at row 9 950, against 1.1 s and 1.3-1.6 s (under load).
 */
const SCAN_PER_ID = 16;

/** The set a walk tests, and how many more entries it may pass (the function counts them). */
interface IdTest {
  bits: Uint8Array | null;
  left: number;
}

const tests = new WeakMap<Database, IdTest>();

/**
 * The connection's `di_in_ids(id)`: 1 when `id` is in the set bound for the current walk. Past the
 * walk's cap it answers 1 with `left` below 0, so the reader sees the cap on the next row and stops
 * (a LIMIT on an inner walk made SQLite read all of it first).
 */
function idTest(db: Database): IdTest {
  let holder = tests.get(db);
  if (holder === undefined) {
    const h: IdTest = { bits: null, left: 0 };
    db.function('di_in_ids', { deterministic: false, directOnly: true }, (id: unknown) => {
      const bits = h.bits;
      if (bits === null || typeof id !== 'number') return 0;
      if (--h.left < 0) return 1;
      const byte = id >>> 3;
      return byte < bits.length && (bits[byte] & (1 << (id & 7))) !== 0 ? 1 : 0;
    });
    tests.set(db, h);
    holder = h;
  }
  return holder;
}

/**
 * Bitsets kept with their id lists: a broad set handed over by the aggregate reader (shared-ids.ts,
 * `-status:error` at 5M rows: 4.2M ids) is walked page after page, and building its bitset each time
 * would read every id again.
 */
const bitsets = new WeakMap<Uint32Array | Float64Array, Uint8Array | null>();

function bitsOf(list: Uint32Array | Float64Array): Uint8Array | null {
  let bits = bitsets.get(list);
  if (bits === undefined) {
    bits = buildBits(list);
    bitsets.set(list, bits);
  }
  return bits;
}

/** The ids as a bitset; null when one is not an id a bitset can hold. */
function buildBits(list: Uint32Array | Float64Array): Uint8Array | null {
  let max = 0;
  for (const id of list) {
    if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) return null;
    if (id > max) max = id;
  }
  const bits = new Uint8Array((max >>> 3) + 1);
  for (const id of list) bits[id >>> 3] |= 1 << (id & 7);
  return bits;
}

/** An index whose first column is `expr`: its name, whether it is in (key, id) order, its bound. */
export interface ScanIndex {
  readonly name: string;
  readonly exact: boolean;
  /** `id <= K` of a partial index; null for a whole one. */
  readonly upto: number | null;
  /** The index's columns as created (records_to_domain's spelling column: probe-sides.ts). */
  readonly cols: string;
}

/**
 * Rows [startRow, endRow) of the ids sorted by `keys` (one column and the id tie-break), read along
 * `index`; null when the walk passed its cap first.
 */
export function scanIds(
  db: Database,
  index: ScanIndex,
  ids: MatchIds,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  endRow: number,
  /** Entries the walk may pass at most; default SCAN_PER_ID per matching id. */
  most = Math.max(endRow, ids.count) * SCAN_PER_ID,
): number[] | null {
  const expr = keys[0].expr;
  const asc = keys[0].dir === 'asc';
  const dir = asc ? 'ASC' : 'DESC';
  const order = index.exact ? `${expr} ${dir}, id ${dir}` : `${expr} ${dir}`;
  const side = index.upto === null ? '' : `id <= ${index.upto} AND`;
  const bits = bitsOf(ids.list);
  if (bits === null) return null;
  const test = idTest(db);
  test.bits = bits;
  test.left = Math.floor(most);
  const pairs: [number, Param | null][] = [];
  let bound: SqlPart | null = null;
  const spelling = index.exact ? null : spellingColumn(index.cols);
  try {
    const rows = db
      .prepare(
        `SELECT id, ${expr}, ${spelling ?? 'NULL'} FROM records INDEXED BY ${index.name} WHERE ${side} di_in_ids(id) ORDER BY ${order}`,
      )
      .raw()
      .iterate() as IterableIterator<[number, Param | null, Param | null]>;
    let groupKey: Param | null = null;
    for (const [id, k, raw] of rows) {
      if (test.left < 0) {
        rows.return?.();
        return null;
      }
      if (pairs.length >= endRow && !index.exact && k !== groupKey) {
        bound = throughKey(asc, groupKey);
        rows.return?.();
        break;
      }
      pairs.push([id, k]);
      if (pairs.length === endRow) {
        groupKey = k;
        // A group of one spelling is in id order: the page ends here, as in an exact index.
        if (index.exact || (spelling !== null && oneSpelling(db, index.name, side, spelling, k, raw))) {
          bound = withinProbe(asc, true, k, id);
          rows.return?.();
          break;
        }
      }
    }
    if (bound === null) {
      // The walk passed the whole index side: all its matches are here (unless the cap came first).
      if (test.left < 0) return null;
      bound = { sql: '1', params: [] };
    }
  } finally {
    test.bits = null;
    test.left = 0;
  }
  // Matches above a partial index's bound: from the id set, their keys read by rowid.
  const delta =
    index.upto === null
      ? []
      : (db
          .prepare(`SELECT id, ${expr} FROM records WHERE id IN (SELECT value FROM json_each(?))`)
          .raw()
          .all(JSON.stringify(Array.from(above(ids.list, index.upto)))) as [number, Param | null][]);
  const ordered = db
    .prepare(
      `SELECT id FROM (SELECT value ->> 0 AS id, value ->> 1 AS k FROM json_each(?))
       WHERE ${bound.sql} ORDER BY k ${dir}, id ${dir} LIMIT ? OFFSET ?`,
    )
    .pluck()
    .all(JSON.stringify([...pairs, ...delta]), ...bound.params, endRow - startRow, startRow) as number[];
  return ordered;
}

/** The ids above `upto`: a binary search where the list is ascending (match-ids.ts' sets are). */
function above(list: Uint32Array | Float64Array, upto: number): Uint32Array | Float64Array {
  let ascending = true;
  for (let i = 1; i < list.length && ascending; i++) ascending = list[i - 1] < list[i];
  if (!ascending) return list.filter((id) => id > upto);
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] <= upto) lo = mid + 1;
    else hi = mid;
  }
  return list.subarray(lo);
}
