/**
 * The page after a page already served, from what that page read. A page past the first reads
 * AHEAD_ROWS more rows of the same order and keeps their ids on its (filter, sort) state, so the pages
 * a user scrolls on to are slices of it: their records looked up by id, nothing sorted or skipped
 * again. Why: every path that finds a deeper page pays for the rows before it (the status columns'
 * OFFSET through records_status_time, a value walk reading up to its skip, a table sort with the index
 * kept out), and it paid that again for the next page (1M rows, quiet: `jane` by Status Details desc,
 * the page at row 9 950 371 ms and the one after it 331 ms; `-status:error` by Size desc 316 / 286 ms).
 * Reading 400 rows more on the deeper page costs their lookups only (~2-5 ms).
 *
 * Exact: the kept ids are the rows of the very order the page was read in, from the same snapshot;
 * they live on paging.ts's per-(filter, sort) state, which a commit that changes the records drops
 * (records-generation.ts), so an append or a removal in between reads afresh.
 * First pages (startRow 0) read nothing ahead: the first answer of a search stays as cheap as before,
 * and its next page is an ordinary second page that then reads ahead.
 */
import type { Database } from 'better-sqlite3';
import type { PageRequest, PageResult } from '../../../common/contract';
import { recordsOf } from './sort-ids';

/** Rows read beyond a deeper page: four more pages of 100 (the grid's block), one lookup each. */
export const AHEAD_ROWS = 400;

interface Ahead {
  /** The row the kept ids start at. */
  readonly start: number;
  readonly ids: readonly number[];
  /** The read ended before its limit: there are no rows after the kept ones. */
  readonly ended: boolean;
}

/**
 * A computed page; `ids`, when given, holds every row's id and `page.rows` the records of the first
 * ones only: the rows read ahead are kept as ids, so reading their records was wasted (page-read.ts).
 */
export interface AheadPage {
  readonly page: PageResult;
  readonly ids?: readonly number[];
}

const aheads = new WeakMap<object, Ahead>();
/** Pages answered from kept rows (the tests check the slices are what they compare). */
let served = 0;

export function pagesServedAhead(): number {
  return served;
}

/** The kept ids of rows [startRow, endRow), or null when the kept window does not answer the request. */
function keptIds(kept: Ahead | undefined, startRow: number, endRow: number): readonly number[] | null {
  if (kept === undefined || startRow < kept.start) return null;
  const end = kept.start + kept.ids.length;
  if (endRow <= end || (kept.ended && startRow <= end))
    return kept.ids.slice(startRow - kept.start, endRow - kept.start);
  return null;
}

/**
 * The page `req` through `compute` (which reads it as paging.ts does), reading ahead for pages past the
 * first and answering from what an earlier page read ahead where it can. `state` is the (filter, sort)
 * cache entry; `lastRow` gives the count once it is known.
 */
export function pageAhead(
  db: Database,
  state: object,
  req: PageRequest,
  compute: (req: PageRequest, read: number) => AheadPage,
  lastRow: () => number | undefined,
): PageResult {
  const { startRow, endRow } = req;
  const ids = keptIds(aheads.get(state), startRow, endRow);
  if (ids !== null) {
    served++;
    const last = lastRow();
    const rows = recordsOf(db, ids);
    return last === undefined ? { rows } : { rows, lastRow: last };
  }
  const limit = endRow - startRow;
  if (startRow === 0) return compute(req, limit).page;
  const { page: wide, ids: wideIds } = compute({ ...req, endRow: endRow + AHEAD_ROWS }, limit);
  const kept = wideIds ?? wide.rows.map((r) => r.id);
  aheads.set(state, {
    start: startRow,
    ids: kept,
    ended: kept.length < limit + AHEAD_ROWS,
  });
  const rows = wide.rows.slice(0, limit);
  return wide.lastRow === undefined ? { rows } : { rows, lastRow: wide.lastRow };
}
