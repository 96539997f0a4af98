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
 * Also the columns with a bucket of one value too big to gather whole (ORDER_BUCKET): SMTP reply at
 * 5M, whose three `250 ...` replies hold 1.4M records each, NULL 0.22M, four more 74k. A page inside
 * such a bucket is its ids in id order, so with the order it is a slice of the bucket's (bucketWindow);
 * without, a pass over the codes from the bucket's first id to the window (the page at row 2 500 000:
 * 48-60 ms in the quiet bench, 14a).
 *
 * Exact: within one UniqueColumn (one records generation and sample; unique-codes.ts makes a new one
 * when either changes) a record's code never changes once set, and records are only added above
 * max(id). So the order of the records up to its `top` stays right; those above it (an append since)
 * are found by a pass over their codes alone.
 *
 * Memory: 4 bytes a record for each column that has one (5M records: 20 MB each for Meta Data ID and
 * SMTP reply).
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
 * A column gets an order when one of its one-value (even) buckets holds more records than this: the
 * records unique-page.ts gathers whole at most (MAX_PICKED there; a bigger bucket is read as a window).
 */
export const ORDER_BUCKET = 50_000;

/** When a column gets an order (tests pass small bounds to have one on a small case). */
export interface OrderWant {
  /** Mean bucket span past which (ORDER_SPAN). */
  readonly span?: number;
  /** Records of one even bucket past which (ORDER_BUCKET). */
  readonly bucket?: number;
}

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

/** Whether the column is worth an order: buckets spread, or one value's bucket too big to gather. */
export function wantsOrder(col: UniqueColumn, want: OrderWant = {}): boolean {
  for (let c = 2; c < col.counts.length; c += 2)
    if (col.counts[c] > (want.bucket ?? ORDER_BUCKET)) return true;
  return meanSpan(col) > (want.span ?? ORDER_SPAN);
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
 * One step of building the orders of `cols`, all coded up to `upto` (`want`: which columns get one,
 * wantsOrder); true while more steps are needed.
 */
export function stepBucketOrders(
  cols: Iterable<UniqueColumn>,
  upto: number,
  want: OrderWant = {},
  chunk = ORDER_CHUNK,
): boolean {
  for (const col of cols) {
    const kept = orders.get(col);
    if (kept !== undefined && upto - kept.top <= ORDER_TAIL) continue;
    let b = building.get(col);
    if (b === undefined) {
      if (kept === undefined && !wantsOrder(col, want)) continue;
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

/**
 * Rows [from, to) of the even bucket `code` (one value: its rows in id order, ascending when `idAsc`)
 * over every record: the order's slice up to its top, then the ids above it (an append since the
 * order was built) found by a pass over their codes alone.
 */
export function bucketWindow(
  col: UniqueColumn,
  order: BucketOrder,
  code: number,
  idAsc: boolean,
  from: number,
  to: number,
): number[] {
  const placed =
    code < order.offsets.length - 1
      ? order.ids.subarray(order.offsets[code], order.offsets[code + 1])
      : new Uint32Array(0);
  const above: number[] = [];
  for (
    let id = Math.max(order.top + 1, col.firstId[code]);
    id <= col.lastId[code] && id < col.codes.length;
    id++
  )
    if (col.codes[id] === code) above.push(id);
  const n = placed.length + above.length;
  const page: number[] = [];
  for (let k = Math.max(0, from); k < Math.min(n, to); k++) {
    const i = idAsc ? k : n - 1 - k;
    page.push(i < placed.length ? placed[i] : above[i - placed.length]);
  }
  return page;
}
