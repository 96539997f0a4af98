/**
 * Pages sorted by a column no index orders, from the page reader's value codes (column-codes.ts):
 * whatever the depth, two passes over typed arrays instead of SQLite ordering every match by the
 * column (5M rows: 0.7-1.5 s for a first page, OFFSET 2 500 000 minutes; README, "Sorts by the columns
 * no index orders").
 *
 * 1. Count the matches per code (unfiltered: every record, counted once per load and kept).
 * 2. Walk the codes in the value order of the sort (ties: ids in the sort's direction, as the
 *    `, id` tie-break of resolveSort) to the codes covering [startRow, endRow), and how many of the
 *    first one's rows come before startRow.
 * 3. Pass over the matches in id order (reversed for descending) keeping, per picked code, the rows
 *    of its window; it stops once the page is full.
 *
 * The matches of a filter are its id set: the search's (match-ids.ts), else found here once and kept
 * for the next pages of the same search (a few sets per connection). Exact like the codes: the set is
 * found in the read transaction of the page, or kept with the per-filter state paging.ts drops when
 * records change.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel, RecordRow } from '../../../common/contract';
import {
  codeTotals,
  columnCodes,
  CODE_EXPRS,
  MARK_EVERY,
  SMALL_CODE,
  type ColumnCodes,
} from './column-codes';
import type { MatchIds } from './match-ids';
import { broadUnknown, isKept, matchList, setAtHand } from './kept-sets';
import { timeBounded } from './codes-ids';

export { broadUnknown, matchList } from './kept-sets';
import { recordsOf } from './sort-ids';
import { unfiltered } from './sort-index';
import { UNIQUE_EXPRS } from './unique-codes';
import { uniqueRows } from './unique-rows';
import { probeCandidates, PROBE_CANDIDATES } from './code-probe';
import { compileWhere } from './filter';
import { collectWhole, type Pick } from './code-scan';
import { readPage, rowsPage, type IdsPage } from './page-read';
import { createResolver } from './resolver';
import type { ResolvedSortKey } from './sql';

type IdList = Uint32Array | Float64Array;

export function countList(col: ColumnCodes, upto: number, list: IdList): Uint32Array {
  const { codes } = col;
  const counts = new Uint32Array(col.values.length);
  for (let i = 0; i < list.length; i++) {
    const id = list[i];
    if (id <= upto && id < codes.length) counts[codes[id]]++;
  }
  // Code 0: ids without a record.
  counts[0] = 0;
  return counts;
}

export function pickCodes(
  ranks: readonly number[],
  counts: Uint32Array,
  asc: boolean,
  start: number,
  end: number,
): Pick[] {
  const picks: Pick[] = [];
  let before = 0;
  for (let r = 0; r < ranks.length && before < end; r++) {
    const code = ranks[asc ? r : ranks.length - 1 - r];
    const n = counts[code];
    if (n > 0 && before + n > start) {
      const from = Math.max(0, start - before);
      picks.push({ code, from, to: Math.min(n, end - before) });
    }
    before += n;
  }
  return picks;
}

/** Pages before this row of a broad filter whose id set is not known yet are left to SQL. */
export const FIRST_ROWS = 1000;

/** The ids of the page: one pass over the matches in id order (reversed when descending). */
function collect(
  col: ColumnCodes,
  upto: number,
  list: IdList | null,
  asc: boolean,
  picks: readonly Pick[],
): number[] {
  if (list === null && col.totals !== null) return collectWhole(col, upto, col.totals, asc, picks);
  const { codes } = col;
  const slot = new Int32Array(col.values.length).fill(-1);
  picks.forEach((p, i) => (slot[p.code] = i));
  const seen = new Float64Array(picks.length);
  const out: number[][] = picks.map(() => []);
  let left = picks.reduce((n, p) => n + p.to - p.from, 0);
  const n = list === null ? upto : list.length;
  for (let k = 0; k < n && left > 0; k++) {
    const i = asc ? k : n - 1 - k;
    const id = list === null ? i + 1 : list[i];
    if (id > upto || id >= codes.length) continue;
    const s = slot[codes[id]];
    if (s < 0) continue;
    const p = picks[s];
    const at = seen[s]++;
    if (at >= p.from && at < p.to) {
      out[s].push(id);
      left--;
    }
  }
  return out.flat();
}

/**
 * Rows [startRow, endRow) of a single-column sort by a coded column, or null where the codes do not
 * serve (another column, not loaded or behind, no id set for the filter): the caller's SQL paths.
 * `state` is the filter's sort-independent state of paging.ts (its id set, if found).
 */
export function codesPage(
  db: Database,
  filter: FilterModel,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  endRow: number,
  state: { ids?: MatchIds | null; count?: number },
  markEvery = MARK_EVERY,
  smallCode = SMALL_CODE,
): RecordRow[] | null {
  const got = codesPageIds(
    db,
    filter,
    keys,
    startRow,
    endRow,
    state,
    endRow - startRow,
    markEvery,
    smallCode,
  );
  return got === null ? null : got.rows;
}

/** As codesPage, with the records of the first `read` rows only (page-read.ts). */
export function codesPageIds(
  db: Database,
  filter: FilterModel,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  endRow: number,
  state: { ids?: MatchIds | null; count?: number },
  read: number,
  markEvery = MARK_EVERY,
  smallCode = SMALL_CODE,
): IdsPage | null {
  if (keys.length !== 2 || keys[1].expr !== 'id') return null;
  // The unique columns have bucket codes of their own (unique-codes.ts).
  const unique = UNIQUE_EXPRS.includes(keys[0].expr);
  if (!unique && !CODE_EXPRS.includes(keys[0].expr)) return null;
  const whole = unfiltered(filter);
  // Filtered To Domain first rows are sort-ids.ts' (its index's first entries serve them), unless the
  // set is known or the codes give it: then the codes are two passes (`domain:web.de` asc at 5M: 5 ms,
  // the index walk 1.1-1.3 s, issue 12l; desc on a bare connection 547 ms, 13b). A deeper page finds
  // the set either way, and the walk along the index testing it then passed ~8 entries a match.
  if (
    !whole &&
    keys[0].expr === 'lower(message_to_domain)' &&
    startRow < FIRST_ROWS &&
    !state.ids &&
    !setAtHand(db, filter, state)
  )
    return null;
  // One snapshot for the codes, the probe, the id set and the rows.
  return db.transaction(() => {
    if (unique) return uniqueRows(db, filter, keys, startRow, endRow, state, read);
    const got = columnCodes(db, keys[0].expr);
    if (got === null) return null;
    // Not where the codes give the set (`status:error` at 5M: 76-176 ms a first page from the set,
    // 165-535 ms probed, under load).
    if (!whole && endRow <= FIRST_ROWS) {
      const probe = (sizes: readonly number[]): RecordRow[] | null => {
        const ids = probeFirst(db, filter, got.col, got.upto, keys[0].dir === 'asc', startRow, endRow, sizes);
        return ids === null ? null : recordsOf(db, ids);
      };
      // A time bound's set from the hour codes is a pass over every record (12v; 5M under load: after:
      // first pages by a coded column desc 7-51 ms probed, 44-533 ms from the set): a small probe first.
      const early =
        !state.ids && !isKept(db, state) && timeBounded(filter) ? probe(PROBE_CANDIDATES.slice(0, 1)) : null;
      if (early !== null) return rowsPage(early);
      const probed = setAtHand(db, filter, state) ? null : probe(PROBE_CANDIDATES);
      if (probed !== null) return rowsPage(probed);
    }
    if (!whole && startRow < FIRST_ROWS && broadUnknown(db, filter, state)) return null;
    const list = whole ? null : matchList(db, filter, state);
    if (!whole && list === null) return null;
    const asc = keys[0].dir === 'asc';
    const counts =
      list === null
        ? codeTotals(got.col, got.upto, markEvery, smallCode).counts
        : countList(got.col, got.upto, list);
    const picks = pickCodes(got.col.ranks ?? [], counts, asc, startRow, endRow);
    const ids = collect(got.col, got.upto, list, asc, picks);
    return readPage(db, ids, read);
  })();
}

/**
 * The page from the first records in the sort's order (code-probe.ts): the unfiltered order's first
 * PROBE_CANDIDATES rows, collected as an unfiltered page is, tested against the filter.
 */
function probeFirst(
  db: Database,
  filter: FilterModel,
  col: ColumnCodes,
  upto: number,
  asc: boolean,
  startRow: number,
  endRow: number,
  sizes: readonly number[],
): number[] | null {
  const totals = codeTotals(col, upto).counts;
  const records = totals.reduce((n, c, code) => (code === 0 ? n : n + c), 0);
  const where = compileWhere(filter, createResolver(db));
  for (const n of sizes) {
    const size = Math.max(n, 4 * endRow);
    const picks = pickCodes(col.ranks ?? [], totals, asc, 0, size);
    const ids = collect(col, upto, null, asc, picks);
    const page = probeCandidates(db, ids, where, startRow, endRow, size >= records);
    if (page !== null) return page;
  }
  return null;
}
