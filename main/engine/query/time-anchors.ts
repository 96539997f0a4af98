/**
 * Keyset anchors of unfiltered pages by time (newest or oldest first) from the hourly summary.
 *
 * Why: the first jump to a deep page (the grid scrolled to row 500 000, or any page whose anchor is
 * not cached yet) found its anchor by skipping every index entry before it:
 * `ORDER BY creation_time_ms DESC, id DESC LIMIT 1 OFFSET 500000` read 500k entries of records_time,
 * 25-29 ms at 1M rows (quiet), 42.5 ms at 5M in the bench (README, "page at row 500 000, newest first
 * (cold)"). summary_hour counts the records of every hour: summing it hour by hour from the newest
 * (or oldest) finds the hour holding the row and how many rows come before that hour (1M: ~35k
 * summary rows for row 500 000, 6.5 ms), and one seek from the hour's edge skips fewer than an hour of
 * records (1M: ~1 400, 5M: ~7 000).
 *
 * Exact: records with id <= the summary's coverage are counted by the summary, those above it (an
 * append not summarised yet) by hour from `records` in the same read transaction; an hour key that is
 * not a whole number (a time stored as REAL), or a greatest time that is not a number (TEXT sorts
 * above every number) declines, and so does an anchor in the segment without a time: the caller then
 * skips along the index as before.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel, SortKey } from '../../../common/contract';
import { ANCHOR_EVERY, type Anchor } from './keyset-pager';
import type { ResolvedSortKey } from './sql';
import { isList } from './filter-sql';
import { unfiltered } from './sort-index';
import { HOUR_MS, HOUR_OF_TIME, NO_HOUR, summaryCoverage } from './summary';

/** A nearer known anchor than this many rows is left to the index skip (it reads ~0.05 ms per 1 000). */
export const TIME_ANCHOR_MIN_ROWS = 20_000;
/** More records above the summary's coverage than this: counting them by hour costs a scan; declined. */
const MAX_PENDING = 200_000;

let served = 0;

/** Anchors found from the summary (the tests check that this path answered). */
export function timeAnchorsServed(): number {
  return served;
}

/**
 * Whether `sort` under `filter` is the unfiltered time order (raw request values: false for anything
 * else, including a malformed sort, which the page path then reports).
 */
export function timeOrdered(filter: FilterModel, sort: readonly SortKey[]): boolean {
  if (typeof filter !== 'object' || filter === null || !unfiltered(filter)) return false;
  if (!isList(sort) || sort.length !== 1) return false;
  const only = sort[0] as SortKey | null;
  return only?.column === 'creation_time' && (only.dir === 'asc' || only.dir === 'desc');
}

/** Whether the page is one this finds anchors for: no filter, sorted by time alone (id breaks ties). */
function timeSorted(filter: FilterModel, keys: readonly ResolvedSortKey[]): boolean {
  return (
    keys.length === 2 && keys[0].expr === 'creation_time_ms' && keys[1].expr === 'id' && unfiltered(filter)
  );
}

/** The records above the coverage counted per hour, in walk order. */
function pendingHours(db: Database, coverage: number, desc: boolean): [number, number][] | null {
  const top = (db.prepare('SELECT ifnull(max(id), 0) FROM records').pluck().get() as number) - coverage;
  if (top <= 0) return [];
  if (top > MAX_PENDING) return null;
  return db
    .prepare(
      `SELECT ${HOUR_OF_TIME} AS h, count(*) FROM records WHERE id > ? GROUP BY h ORDER BY h ${desc ? 'DESC' : 'ASC'}`,
    )
    .raw()
    .all(coverage) as [number, number][];
}

/** Summary and pending hours merged in walk order, each hour once with its total. */
function* hoursInOrder(
  summary: Iterable<[number, number]>,
  pending: readonly [number, number][],
  desc: boolean,
): Generator<[number, number]> {
  const first = (a: number, b: number): boolean => (desc ? a > b : a < b);
  let p = 0;
  for (const [h, n] of summary) {
    while (p < pending.length && first(pending[p][0], h)) yield pending[p++];
    if (p < pending.length && pending[p][0] === h) yield [h, n + pending[p++][1]];
    else yield [h, n];
  }
  while (p < pending.length) yield pending[p++];
}

/**
 * The anchor of row `row` (0-based) of the unfiltered time order, or null (not this kind of page, no
 * summary, the row in the segment without a time or past the end, or a declined case above).
 */
export function timeAnchor(
  db: Database,
  filter: FilterModel,
  keys: readonly ResolvedSortKey[],
  row: number,
): Anchor | null {
  if (!timeSorted(filter, keys)) return null;
  return db.transaction(() => findAnchor(db, keys[0].dir === 'desc', row))();
}

function findAnchor(db: Database, desc: boolean, row: number): Anchor | null {
  const coverage = summaryCoverage(db);
  if (coverage === 0) return null;
  const greatest = db
    .prepare('SELECT creation_time_ms FROM records ORDER BY creation_time_ms DESC LIMIT 1')
    .pluck()
    .get();
  if (greatest !== null && typeof greatest !== 'number' && typeof greatest !== 'bigint') return null;
  const pending = pendingHours(db, coverage, desc);
  if (pending === null) return null;
  const dir = desc ? 'DESC' : 'ASC';
  // NO_HOUR sorts first: ascending, records without a time come first (SQLite's NULL order), as here.
  const summary = db
    .prepare(`SELECT hour, sum(n) FROM summary_hour GROUP BY hour ORDER BY hour ${dir}`)
    .raw()
    .iterate() as IterableIterator<[number, number]>;
  let before = 0;
  try {
    for (const [h, n] of hoursInOrder(summary, pending, desc)) {
      if (h === NO_HOUR) {
        // Descending, the segment without a time is last: the row is past every timed record.
        if (desc || before + n > row) return null;
      } else if (!Number.isInteger(h)) return null;
      else if (before + n > row) return seekInHour(db, desc, h, row - before);
      before += n;
    }
  } finally {
    summary.return?.();
  }
  return null;
}

/** The record `skip` rows into hour `h` in the walk's order, as an anchor of the time segment. */
function seekInHour(db: Database, desc: boolean, h: number, skip: number): Anchor | null {
  const hit = db
    .prepare(
      desc
        ? 'SELECT creation_time_ms, id FROM records WHERE creation_time_ms < ? ORDER BY creation_time_ms DESC, id DESC LIMIT 1 OFFSET ?'
        : 'SELECT creation_time_ms, id FROM records WHERE creation_time_ms >= ? ORDER BY creation_time_ms ASC, id ASC LIMIT 1 OFFSET ?',
    )
    .raw()
    .get(desc ? (h + 1) * HOUR_MS : h * HOUR_MS, skip) as [number, number] | undefined;
  if (hit === undefined) return null;
  served++;
  // The segment of timed records: first of Pager's segments descending, second ascending.
  return { seg: desc ? 0 : 1, k: hit[0], id: hit[1] };
}

/**
 * Puts the anchor of block `j` into `anchors` from the summary when the nearest known anchor below it
 * is far: the summary is walked from the first hour (cost grows with the row, ~13 µs per 1 000 rows at
 * 1M), the index skip from the nearest anchor (~50 µs per 1 000), so it is used only when that anchor
 * is at least a quarter of the way behind (and TIME_ANCHOR_MIN_ROWS).
 */
export function placeTimeAnchor(
  db: Database,
  filter: FilterModel,
  keys: readonly ResolvedSortKey[],
  anchors: Map<number, Anchor | null>,
  j: number,
  minRows = TIME_ANCHOR_MIN_ROWS,
): void {
  if (j === 0 || anchors.has(j) || !timeSorted(filter, keys)) return;
  let near = 0;
  for (const [n, a] of anchors) {
    // A known end below j: the page is past the end, the pager says so without a seek.
    if (n < j && a === null) return;
    if (n < j && n > near) near = n;
  }
  const distance = (j - near) * ANCHOR_EVERY;
  if (distance < minRows || distance * 4 < j * ANCHOR_EVERY) return;
  const found = timeAnchor(db, filter, keys, j * ANCHOR_EVERY);
  if (found !== null) anchors.set(j, found);
}
