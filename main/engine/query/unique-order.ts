/**
 * Every record id of a unique column grouped by its bucket code (a counting sort of the codes,
 * unique-codes.ts), for the columns whose buckets lie spread over the table: an unfiltered page then
 * takes its buckets' ids as slices instead of a pass over the codes between the buckets' lowest and
 * highest ids.
 *
 * Why: Meta Data ID values are `m-<message>-<version>` and sort as text, so one bucket holds
 * neighbouring messages of several lengths of number (m-2500123.., m-250012.., m-25001..): its ids
 * lie from near the table's start to far into it, and the pass read most of the 5M codes (the page at
 * row 2 500 000: 36-38 ms in the quiet bench, every other coded column 10-20 ms).
 *
 * Exact: within one UniqueColumn (one records generation and sample; unique-codes.ts makes a new one
 * when either changes) a record's code never changes once set, and records are only added above
 * max(id). So the order of the records up to its `top` stays right; those above it (an append since)
 * are found by a pass over their codes alone.
 *
 * Memory: 4 bytes a record for each column that has one (5M records: 20 MB for Meta Data ID).
 */
import type { UniqueColumn } from './unique-codes';

export interface BucketOrder {
  /** Every record with id <= top is placed. */
  readonly top: number;
  /** The ids of code c are ids[offsets[c] .. offsets[c + 1]), ascending. */
  readonly offsets: Uint32Array;
  readonly ids: Uint32Array;
}

interface Building {
  readonly top: number;
  readonly offsets: Uint32Array;
  readonly cursor: Uint32Array;
  readonly ids: Uint32Array;
  /** Ids up to this one are placed. */
  done: number;
  /** Elements of `ids` written once (see TOUCH). */
  touched: number;
}

/**
 * A column gets an order when its buckets span on average more than this many ids (a pass over them
 * is ~1 ms). Meta Data ID at 5M: ~1.4M ids a bucket; Correlation ID and Meta Data Creation Time,
 * whose values come nearly in id order: a few hundred.
 */
export const ORDER_SPAN = 200_000;

/**
 * Ids placed per load step. The writes land all over the order (5M: 20 MB), a cache miss each:
 * 1M ids a step took 100-400 ms under load (a page arriving meanwhile waits for the step).
 */
export const ORDER_CHUNK = 100_000;

/** Ids appended above an order's top past which it is built again (their pass is that long). */
export const ORDER_TAIL = 100_000;

/**
 * Elements of a new order written in order per step before any id is placed: the placing writes
 * land all over it, and their first touch of each memory page faulted (5M, under load: the first
 * two steps of 100 000 ids 117 and 171 ms, the others ~2 ms).
 */
const TOUCH = 1 << 19;

const orders = new WeakMap<UniqueColumn, BucketOrder>();
const building = new WeakMap<UniqueColumn, Building>();

/** The mean span (highest id - lowest id + 1) of the column's non-empty buckets. */
export function meanSpan(col: UniqueColumn): number {
  let span = 0;
  let buckets = 0;
  for (let c = 1; c < col.counts.length; c++) {
    if (col.counts[c] === 0) continue;
    span += col.lastId[c] - col.firstId[c] + 1;
    buckets++;
  }
  return buckets === 0 ? 0 : span / buckets;
}

/** The column's order, or null (none built, or none wanted). */
export function bucketOrder(col: UniqueColumn): BucketOrder | null {
  return orders.get(col) ?? null;
}

function begin(col: UniqueColumn, top: number): Building {
  // The counts cover exactly the records up to `top` now (the caller has every record coded).
  const offsets = new Uint32Array(col.counts.length + 1);
  for (let c = 0; c < col.counts.length; c++) offsets[c + 1] = offsets[c] + col.counts[c];
  return {
    top,
    offsets,
    cursor: offsets.slice(0, -1),
    ids: new Uint32Array(offsets[col.counts.length]),
    done: 0,
    touched: 0,
  };
}

/**
 * One step of building the orders of `cols`, all coded up to `upto` (`spanAbove`: the mean span past
 * which a column gets one; tests pass 0); true while more steps are needed.
 */
export function stepBucketOrders(
  cols: Iterable<UniqueColumn>,
  upto: number,
  spanAbove = ORDER_SPAN,
  chunk = ORDER_CHUNK,
): boolean {
  for (const col of cols) {
    const kept = orders.get(col);
    if (kept !== undefined && upto - kept.top <= ORDER_TAIL) continue;
    let b = building.get(col);
    if (b === undefined) {
      if (kept === undefined && meanSpan(col) <= spanAbove) continue;
      b = begin(col, upto);
      building.set(col, b);
    }
    if (b.touched < b.ids.length) {
      b.ids.fill(0, b.touched, b.touched + TOUCH);
      b.touched += TOUCH;
      return true;
    }
    const { codes } = col;
    const end = Math.min(b.top, b.done + chunk);
    for (let id = b.done + 1; id <= end; id++) {
      const c = codes[id];
      if (c !== 0) b.ids[b.cursor[c]++] = id;
    }
    b.done = end;
    if (b.done >= b.top) {
      orders.set(col, { top: b.top, offsets: b.offsets, ids: b.ids });
      building.delete(col);
    }
    return true;
  }
  return false;
}
