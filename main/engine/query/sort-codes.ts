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
import { columnCodes, CODE_EXPRS, type ColumnCodes } from './column-codes';
import { findMatchIds, type MatchIds } from './match-ids';
import { unfiltered } from './sort-index';
import { RECORD_SELECT, type ResolvedSortKey } from './sql';

type IdList = Uint32Array | Float64Array;

/** Id sets kept for later pages, newest last (4-8 bytes an id: a 5M-record set is 20-40 MB). */
const MAX_KEPT = 2;
const kept = new WeakMap<Database, { readonly owner: object; readonly list: IdList }[]>();

/** The filter's ids, ascending: the search's set if known, else found now (any size) and kept with `owner`. */
function matchList(db: Database, filter: FilterModel, owner: { ids?: MatchIds | null }): IdList | null {
  if (owner.ids) return owner.ids.list;
  const held = kept.get(db) ?? [];
  const hit = held.find((k) => k.owner === owner);
  if (hit) return hit.list;
  const found = findMatchIds(db, filter, Number.MAX_SAFE_INTEGER);
  if (found === null) return null;
  held.push({ owner, list: found.list });
  while (held.length > MAX_KEPT) held.shift();
  kept.set(db, held);
  return found.list;
}

function countCodes(col: ColumnCodes, upto: number, list: IdList | null): Uint32Array {
  const { codes } = col;
  if (list === null && col.allCounts !== null) return col.allCounts;
  const counts = new Uint32Array(col.values.length);
  if (list === null) {
    for (let id = 1; id <= upto && id < codes.length; id++) counts[codes[id]]++;
    col.allCounts = counts;
  } else {
    for (let i = 0; i < list.length; i++) {
      const id = list[i];
      if (id <= upto && id < codes.length) counts[codes[id]]++;
    }
  }
  // Code 0 counted the ids without a record.
  counts[0] = 0;
  return counts;
}

/** The picked codes in page order, each with its window [from, to) among its rows in id order. */
interface Pick {
  readonly code: number;
  readonly from: number;
  readonly to: number;
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

/** The ids of the page: one pass over the matches in id order (reversed when descending). */
function collect(
  col: ColumnCodes,
  upto: number,
  list: IdList | null,
  asc: boolean,
  picks: readonly Pick[],
): number[] {
  const { codes } = col;
  const slot = new Int32Array(col.values.length).fill(-1);
  picks.forEach((p, i) => (slot[p.code] = i));
  const seen = new Uint32Array(picks.length);
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
  state: { ids?: MatchIds | null },
): RecordRow[] | null {
  if (keys.length !== 2 || keys[1].expr !== 'id' || !CODE_EXPRS.includes(keys[0].expr)) return null;
  const whole = unfiltered(filter);
  // Filtered To Domain sorts are sort-ids.ts' (its index serves them).
  if (!whole && keys[0].expr === 'lower(message_to_domain)') return null;
  // One snapshot for the codes, the id set and the rows.
  return db.transaction(() => {
    const got = columnCodes(db, keys[0].expr);
    if (got === null) return null;
    const list = whole ? null : matchList(db, filter, state);
    if (!whole && list === null) return null;
    const asc = keys[0].dir === 'asc';
    const counts = countCodes(got.col, got.upto, list);
    const picks = pickCodes(got.col.ranks ?? [], counts, asc, startRow, endRow);
    const ids = collect(got.col, got.upto, list, asc, picks);
    if (ids.length === 0) return [];
    const rows = db
      .prepare(`SELECT ${RECORD_SELECT} FROM records WHERE id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as RecordRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) as RecordRow);
  })();
}
