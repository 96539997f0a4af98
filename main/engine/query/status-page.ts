/**
 * A filtered page sorted by status, substatus or status details: resolveSort orders those by
 * (column, creation_time_ms, id), all in one direction, and each has an index (column,
 * creation_time_ms) + rowid in exactly that order. The filter's id set is counted per value from the
 * page reader's value codes (column-codes.ts), which picks the values covering [startRow, endRow)
 * and the window inside each (sort-codes.ts pickCodes); a value's window is then read either
 *
 * - along its index range, testing each entry against the id set (a bitset, through a
 *   connection-local SQL function), when the filter is dense among that value's records: the walk
 *   passes about window end / (share matching) entries, ~0.3 µs each; or
 * - by looking the value's matching ids up and sorting them by time, when it is sparse there
 *   (`jane` by status details: ~1 % of a value's records match, a walk to row 10 000 passes ~1M).
 *
 * Before this, 5M rows with the aggregate reader's id sets (README, 12k): 550-880 ms a first page and
 * 300-850 ms a deeper one (SQLite sorted every match, or walked the whole index side).
 *
 * Exact like sort-codes.ts: the codes cover every record of the read transaction (columnCodes loads a
 * small delta on, else declines), the index is whole (not partial), and the id set is the filter's
 * for this snapshot.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel, RecordRow } from '../../../common/contract';
import { codeTotals, columnCodes } from './column-codes';
import type { MatchIds } from './match-ids';
import { broadUnknown, countList, FIRST_ROWS, matchList, pickCodes } from './sort-codes';
import { setAtHand } from './kept-sets';
import { probeIndex } from './status-probe';
import { recordsOf } from './sort-ids';
import { markedPage } from './status-marks';
import { byTime, hourWindow } from './hour-order';
import { unfiltered } from './sort-index';
import type { ResolvedSortKey } from './sql';

/** The sort columns served here and their (column, creation_time_ms) indexes (migrations.ts). */
const TIME_INDEXES: ReadonlyMap<string, string> = new Map([
  ['status', 'records_status_time'],
  ['substatus', 'records_substatus_time'],
  ['status_details', 'records_details_time'],
]);

/** Relative cost of an index entry passed against a matching record looked up by id (~0.3 vs ~3 µs). */
const WALK_PER_LOOKUP = 10;

interface BitTest {
  bits: Uint8Array | null;
}

const tests = new WeakMap<Database, BitTest>();
const bitsets = new WeakMap<Uint32Array | Float64Array, Uint8Array>();

/** The connection's `di_status_ids(id)`: 1 when `id` is in the set bound for the current walk. */
function bitTest(db: Database): BitTest {
  let t = tests.get(db);
  if (t === undefined) {
    const h: BitTest = { bits: null };
    db.function('di_status_ids', { deterministic: false, directOnly: true }, (id: unknown) => {
      const bits = h.bits;
      if (bits === null || typeof id !== 'number') return 0;
      const byte = id >>> 3;
      return byte < bits.length && (bits[byte] & (1 << (id & 7))) !== 0 ? 1 : 0;
    });
    tests.set(db, h);
    t = h;
  }
  return t;
}

/** The ids as a bitset, kept with the list (a shared set serves page after page). */
function bitsOf(list: Uint32Array | Float64Array): Uint8Array {
  let bits = bitsets.get(list);
  if (bits === undefined) {
    let max = 0;
    for (const id of list) if (id > max) max = id;
    bits = new Uint8Array((max >>> 3) + 1);
    for (const id of list) bits[id >>> 3] |= 1 << (id & 7);
    bitsets.set(list, bits);
  }
  return bits;
}

/**
 * Rows [startRow, endRow) of a filtered sort by status / substatus / status details, or null where
 * this does not serve (another sort, unfiltered, codes not loaded, no id set): the caller's paths.
 */
export function statusPage(
  db: Database,
  filter: FilterModel,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  endRow: number,
  state: { ids?: MatchIds | null; count?: number },
  walkPerLookup = WALK_PER_LOOKUP,
): RecordRow[] | null {
  if (keys.length !== 3 || keys[1].expr !== 'creation_time_ms' || keys[2].expr !== 'id') return null;
  const index = TIME_INDEXES.get(keys[0].expr);
  if (index === undefined) return null;
  // Unfiltered: the marks' seek instead of an OFFSET walk of the whole index (status-marks.ts).
  if (unfiltered(filter)) return markedPage(db, keys, startRow, endRow);
  const asc = keys[0].dir === 'asc';
  if (keys[1].dir !== keys[0].dir || keys[2].dir !== keys[0].dir) return null;
  if (startRow < FIRST_ROWS && broadUnknown(db, filter, state)) return null;
  return db.transaction(() => {
    const got = columnCodes(db, keys[0].expr);
    if (got === null) return null;
    if (endRow <= FIRST_ROWS && !setAtHand(db, filter, state)) {
      const probed = probeIndex(db, index, keys[0].expr, asc, filter, startRow, endRow);
      if (probed !== null) return recordsOf(db, probed);
    }
    const list = matchList(db, filter, state);
    if (list === null) return null;
    const counts = countList(got.col, got.upto, list);
    const totals = codeTotals(got.col, got.upto).counts;
    const picks = pickCodes(got.col.ranks ?? [], counts, asc, startRow, endRow);
    const ids: number[] = [];
    for (const p of picks) {
      const value = got.col.values[p.code];
      const walk = (p.to * totals[p.code]) / counts[p.code];
      const part =
        walk <= counts[p.code] * walkPerLookup
          ? walkValue(db, index, keys[0].expr, value, list, asc, p.from, p.to)
          : lookValue(db, got.col.codes, got.upto, list, p.code, asc, p.from, p.to);
      ids.push(...part);
    }
    return recordsOf(db, ids);
  })();
}

/** Matches [from, to) of one value, along its index range in (time, id) order, testing the set. */
function walkValue(
  db: Database,
  index: string,
  expr: string,
  value: string | number | null,
  list: Uint32Array | Float64Array,
  asc: boolean,
  from: number,
  to: number,
): number[] {
  const dir = asc ? 'ASC' : 'DESC';
  const test = bitTest(db);
  test.bits = bitsOf(list);
  try {
    // id last: the index holds the rowid after the time, so this order needs no sort step.
    return db
      .prepare(
        `SELECT id FROM records INDEXED BY ${index} WHERE ${expr} IS ? AND di_status_ids(id)
         ORDER BY creation_time_ms ${dir}, id ${dir} LIMIT ? OFFSET ?`,
      )
      .pluck()
      .all(value, to - from, from) as number[];
  } finally {
    test.bits = null;
  }
}

/** Matches [from, to) of one value: its ids from the set, looked up and sorted by (time, id). */
function lookValue(
  db: Database,
  codes: Uint8Array | Uint16Array | Uint32Array,
  upto: number,
  list: Uint32Array | Float64Array,
  code: number,
  asc: boolean,
  from: number,
  to: number,
): number[] {
  const mine: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const id = list[i];
    if (id <= upto && id < codes.length && codes[id] === code) mine.push(id);
  }
  // Only the hours holding the window looked up (hour-order.ts), where the hour codes serve.
  const byHour = hourWindow(db, mine, asc, from, to);
  return byHour ?? byTime(db, mine, asc, to - from, from);
}
