/**
 * Where each code's records lie among the ids (column-codes.ts), for unfiltered pages by a coded
 * column (sort-codes.ts): counts, every-th record marks a deep page's scan starts at, last ids, and
 * the ids of the codes so small that their records are spread over the whole table. Computed in one
 * or two passes over the codes once they are loaded (one column an idle step), kept until they load
 * more.
 */
import type { ColumnCodes } from './column-codes';

/** Where each code's records lie among the ids, for unfiltered pages (sort-codes.ts). */
export interface CodeTotals {
  /** Records per code. */
  readonly counts: Uint32Array;
  /** Marks are every `every`-th record of a code. */
  readonly every: number;
  /** Per code, the id of its 0th, every-th, 2*every-th ... record: a deep page starts there. */
  readonly marks: readonly number[][];
  /** Per code, the id of its last record: a descending page starts there. */
  readonly last: Uint32Array;
  /** Codes of at most this many records are `small`. */
  readonly smallCode: number;
  /**
   * Per code of at most `smallCode` records, where its ids start in `smallIds` (-1: a larger code).
   * Such a code's records are spread over the whole table: a page inside one scanned millions of ids
   * (5M: Reference Job, ~280 records a code, 20-24 ms a deep page), here it is a slice.
   */
  readonly smallStart: Int32Array;
  /** The small codes' ids, grouped by code, ascending within each. */
  readonly smallIds: Uint32Array;
}

/**
 * Every MARK_EVERY-th record of a code is marked: a deep page scans fewer than that many of its
 * records, and the ids of the other codes between them. At 16 384 (5M, To Domain asc at row
 * 2 500 000) the window was the last 28 of a domain's 500 150 records, 8 602 records past its mark:
 * 90 433 ids passed, 6-14 ms under load (the other columns 5 000-24 000 ids, < 1 ms). At 1 024 it
 * passes ~4 400 ids; the marks are ~5 000 numbers a column at 5M.
 */
export const MARK_EVERY = 1024;

/** Codes of at most this many records keep their ids (4 bytes each; 5M Reference Job: 20 MB). */
export const SMALL_CODE = 2048;

/** Counts, marks and last ids of every record's code: one pass, kept until the codes load more. */
export function codeTotals(
  col: ColumnCodes,
  upto: number,
  every = MARK_EVERY,
  smallCode = SMALL_CODE,
): CodeTotals {
  if (col.totals !== null && col.totals.every === every && col.totals.smallCode === smallCode)
    return col.totals;
  const { codes } = col;
  const counts = new Uint32Array(col.values.length);
  const last = new Uint32Array(col.values.length);
  const marks: number[][] = col.values.map(() => []);
  for (let id = 1; id <= upto && id < codes.length; id++) {
    const c = codes[id];
    if (c === 0) continue;
    if (counts[c] % every === 0) marks[c].push(id);
    counts[c]++;
    last[c] = id;
  }
  // A second pass only if some code is small (most columns have none).
  const smallStart = new Int32Array(col.values.length).fill(-1);
  let small = 0;
  for (let c = 1; c < counts.length; c++)
    if (counts[c] > 0 && counts[c] <= smallCode) {
      smallStart[c] = small;
      small += counts[c];
    }
  const smallIds = new Uint32Array(small);
  if (small > 0) {
    const at = Int32Array.from(smallStart);
    for (let id = 1; id <= upto && id < codes.length; id++) {
      const p = at[codes[id]];
      if (p >= 0) {
        smallIds[p] = id;
        at[codes[id]]++;
      }
    }
  }
  col.totals = { counts, every, marks, last, smallCode, smallStart, smallIds };
  return col.totals;
}
