/**
 * Pages for AG Grid's Infinite Row Model with keyset paging. For each (filter, sort) the sort key of
 * every ANCHOR_EVERY-th row is cached (found lazily, by seeking from the nearest known anchor), and a
 * page is read by seeking to the anchor at or before startRow and skipping fewer than ANCHOR_EVERY rows.
 * So row 500 000 costs about as much as row 0 once its anchor is known, and finding that anchor costs
 * one pass over the rows in between, once.
 *
 * NULL sort values form their own segment (first when ascending, last when descending, as SQLite orders
 * them); within a segment the order is (key, id), so row-value comparisons seek through the indexes.
 * Sorts on two or more columns fall back to OFFSET paging.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel, PageRequest, PageResult, RecordRow, SortKey } from '../../../common/contract';
import { LIMITS } from '../../../common/contract';
import { EngineError } from '../errors';
import { compileWhere } from './filter';
import { createResolver, MAX_RESOLVED_VALUES_AGGREGATE } from './resolver';
import { RECORD_SELECT, resolveSort, type ResolvedSortKey } from './sql';
import { findMatchIds, type MatchIds } from './match-ids';
import { takeKeptAddresses } from './page-words';
import { summaryCount } from './summary-read';
import { countWithoutIds } from './count-paths';
import { dataVersion, recordsFingerprint } from './records-generation';
import { dropKeptWords } from './word-ids';
import { orderWithoutSortIndex, probePage, sortIndexFor } from './sort-index';
import { walkable, walkPage } from './sort-walk';
import { selectivePage } from './sort-ids';
import { codesPageIds } from './sort-codes';
import { statusPage } from './status-page';
import { pageAhead, type AheadPage } from './page-ahead';
import { ANCHOR_EVERY, countWhere, Pager, strip, type Anchor } from './keyset-pager';
import { placeTimeAnchor, timeOrdered } from './time-anchors';

export { ANCHOR_EVERY, countWhere } from './keyset-pager';

interface FilterState {
  readonly anchors: Map<number, Anchor | null>;
  /** Only on the sort-independent state of a filter (`sort` undefined). */
  count?: number;
  /** The matching ids, shared by the count, histogram and facets of a search (see match-ids.ts); null: too many. */
  ids?: MatchIds | null;
}

interface Cache {
  version: string;
  /** recordsFingerprint when the states were begun: a commit that leaves it equal keeps them. */
  readonly fingerprint: string;
  readonly states: Map<string, FilterState>;
}

const caches = new WeakMap<Database, Cache>();
const MAX_STATES = 50;

/** Forgets cached counts, anchors and kept words' sets (the benchmark uses it to time cold queries). */
export function clearQueryCache(db: Database): void {
  caches.delete(db);
  dropKeptWords(db);
}

/** Per-(filter, sort) state; `sort` undefined for count-only use. */
export function filterState(
  db: Database,
  filter: FilterModel,
  sort: readonly SortKey[] | undefined,
): FilterState {
  const version = dataVersion(db);
  let cache = caches.get(db);
  if (!cache || cache.version !== version) {
    // A settings write (the renderer's recent searches, column layout) commits during searches; the
    // states stay unless the records changed (records-generation.ts).
    const fingerprint = recordsFingerprint(db);
    if (cache?.fingerprint === fingerprint) cache.version = version;
    else {
      cache = { version, fingerprint, states: new Map() };
      caches.set(db, cache);
    }
  }
  const key = JSON.stringify([
    filter.q ?? '',
    filter.conditions ?? [],
    filter.timeFrom ?? null,
    filter.timeTo ?? null,
    // after:/before: dates are read in this zone.
    filter.timeZone ?? null,
    sort ?? null,
  ]);
  let state = cache.states.get(key);
  if (!state) {
    if (cache.states.size >= MAX_STATES) cache.states.delete(cache.states.keys().next().value as string);
    state = { anchors: new Map([[0, 'start']]) };
    cache.states.set(key, state);
  }
  return state;
}

/** Id sets kept per connection, newest last: each may hold up to MAX_MATCH_IDS_FACTS ids (~3.5 MB as JSON). */
const MAX_ID_SETS = 4;
/** Ids the kept sets hold in all beyond the newest (4 bytes each): sets of most of a 5M case are 20 MB. */
const MAX_HELD_IDS = 8_000_000;
const idHolders = new WeakMap<Database, FilterState[]>();

/** The filter's matching ids (findMatchIds), found once per data version for count, histogram and facets. */
export function matchIds(db: Database, filter: FilterModel): MatchIds | null {
  const state = filterState(db, filter, undefined);
  if (state.ids === undefined) {
    // A free word: the page reader takes the kept address map, it and the aggregate reader the kept
    // token dictionary (page-words.ts).
    takeKeptAddresses(db, filter);
    state.ids = findMatchIds(db, filter);
    holdIds(db, state);
  }
  return state.ids;
}

/** Only the last few searches keep their sets: 50 cached filters could otherwise hold 60 MB. */
function holdIds(db: Database, state: FilterState): void {
  const held = idHolders.get(db) ?? [];
  if (state.ids) held.push(state);
  let ids = held.reduce((n, s) => n + (s.ids?.count ?? 0), 0);
  while (held.length > MAX_ID_SETS || (held.length > 1 && ids > MAX_HELD_IDS)) {
    const old = held.shift();
    ids -= old?.ids?.count ?? 0;
    if (old) delete old.ids;
  }
  idHolders.set(db, held);
}

/**
 * The filter's set handed over by the aggregate reader (shared-ids.ts), for this data version; call
 * inside the read transaction that checked it belongs to this snapshot.
 */
export function adoptMatchIds(db: Database, filter: FilterModel, ids: MatchIds): void {
  const state = filterState(db, filter, undefined);
  if (state.ids !== undefined) return;
  state.ids = ids;
  state.count ??= ids.count;
  holdIds(db, state);
}

/** Count for the filter, cached with the data version. */
export function countRows(db: Database, filter: FilterModel): number {
  const state = filterState(db, filter, undefined);
  if (state.count === undefined)
    state.count =
      summaryCount(db, filter) ??
      countWithoutIds(db, filter) ??
      matchIds(db, filter)?.count ??
      countWhere(db, compileWhere(filter, createResolver(db, MAX_RESOLVED_VALUES_AGGREGATE)));
  return state.count;
}

/**
 * Keyset paging pays off where an index delivers rows in key order; for other columns every seek
 * would be a full scan (twice, with the NULL segment), so a single sorted scan with OFFSET is used.
 */
const KEYSET_EXPRS = new Set([
  'id',
  'creation_time_ms',
  'lower(message_to)',
  'lower(message_to_domain)',
  'correlation_id',
  'job_id',
  'smtp_status_code',
  'usage_id',
]);

function keysetCapable(keys: readonly ResolvedSortKey[]): boolean {
  return keys.length <= 2 && KEYSET_EXPRS.has(keys[0].expr);
}

export function queryPage(db: Database, req: PageRequest): PageResult {
  const { startRow, endRow } = req;
  if (!Number.isInteger(startRow) || !Number.isInteger(endRow) || startRow < 0 || endRow <= startRow) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      'startRow and endRow must be whole numbers with 0 <= startRow < endRow',
      { path: 'startRow' },
    );
  }
  if (endRow - startRow > LIMITS.maxPageSize) {
    throw new EngineError('INVALID_ARGUMENT', `a page may hold at most ${LIMITS.maxPageSize} rows`, {
      path: 'endRow',
    });
  }
  // No filter can match more rows than the table holds (ids are unique positive rowids, so at most
  // max(id) of them): a page past that is empty without seeking, however large startRow is.
  const maxId = (db.prepare('SELECT max(id) AS m FROM records').get() as { m: number | null }).m ?? 0;
  if (startRow >= maxId) {
    const total = countRows(db, req.filter);
    return { rows: [], lastRow: total };
  }
  const state = filterState(db, req.filter, req.sort);
  // Unfiltered by time: the next page is one seek from its anchor, as cheap as a slice of kept ids,
  // and reading 400 rows ahead was most of a deep page (1M rows: ~9 of 18 ms at row 500 000).
  if (timeOrdered(req.filter, req.sort)) return computePage(db, req, state, endRow - startRow).page;
  // A page after one already served is a slice of what that one read ahead (page-ahead.ts).
  return pageAhead(
    db,
    state,
    req,
    (r, read) => computePage(db, r, state, read),
    () => filterState(db, req.filter, undefined).count,
  );
}

/**
 * Rows [startRow, endRow); where the value codes give the ids (sort-codes.ts), only the first `read`
 * rows' records are read and `ids` holds every row's (page-read.ts).
 */
function computePage(db: Database, req: PageRequest, state: FilterState, read: number): AheadPage {
  const { startRow, endRow } = req;
  const keys = resolveSort(req.sort);
  const where = compileWhere(req.filter, createResolver(db));
  const limit = endRow - startRow;
  let rows: RecordRow[];
  // Columns no index orders, from the page reader's value codes when loaded (sort-codes.ts).
  const byCodes = codesPageIds(
    db,
    req.filter,
    keys,
    startRow,
    endRow,
    filterState(db, req.filter, undefined),
    read,
  );
  const coded =
    byCodes?.rows ??
    statusPage(db, req.filter, keys, startRow, endRow, filterState(db, req.filter, undefined));
  const walked = coded ?? (walkable(keys) ? walkPage(db, req.filter, where, keys, startRow, limit) : null);
  // A selective filter's matches sorted, rather than an index walked checking each record (sort-ids.ts).
  const selected =
    walked === null
      ? selectivePage(db, req.filter, where, keys, state, startRow, endRow, {
          cheapCount: () => filterState(db, req.filter, undefined).count ?? summaryCount(db, req.filter),
          ids: () => matchIds(db, req.filter),
          knownIds: () => filterState(db, req.filter, undefined).ids,
        })
      : null;
  const sortIndex = sortIndexFor(db, req.filter, keys);
  const probed =
    walked === null && selected === null && sortIndex === null
      ? probePage(db, where, keys, startRow, endRow)
      : null;
  if (walked !== null) {
    rows = walked;
  } else if (selected !== null) {
    rows = selected;
  } else if (probed !== null) {
    rows = probed;
  } else if (!keysetCapable(keys) && sortIndex === null) {
    // Sorting only (key, id) and then reading the page's rows is far cheaper than sorting whole records.
    const order = orderWithoutSortIndex(keys);
    const sql = `SELECT ${RECORD_SELECT} FROM records WHERE id IN
      (SELECT id FROM records WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?) ORDER BY ${order}`;
    rows = db.prepare(sql).all(...where.params, limit, startRow) as RecordRow[];
  } else {
    const pager = new Pager(
      db,
      where,
      keys,
      sortIndex === null ? 'records' : `records INDEXED BY ${sortIndex}`,
    );
    const j = Math.floor(startRow / ANCHOR_EVERY);
    // A deep page by time with no anchor near: from the hourly summary, not a skip along the index.
    placeTimeAnchor(db, req.filter, keys, state.anchors, j);
    const anchor = pager.anchor(state.anchors, j);
    const fetched = anchor === null ? [] : pager.fetch(anchor, startRow - j * ANCHOR_EVERY, limit);
    fetched.forEach((f, i) => {
      const n = startRow + i;
      if (n % ANCHOR_EVERY === 0 && !state.anchors.has(n / ANCHOR_EVERY))
        state.anchors.set(n / ANCHOR_EVERY, { seg: f.seg, k: f.row.__k, id: f.row.id });
    });
    rows = fetched.map((f) => strip(f.row));
  }
  // The count is not computed here: for a broad search it costs a full scan, and the grid should not
  // wait for it. The renderer asks rows:count separately; once known (or evident from a short page)
  // it is returned as lastRow. An empty page past the end needs it to tell the grid where the end is.
  const counted = filterState(db, req.filter, undefined);
  const found = byCodes?.ids.length ?? rows.length;
  if (counted.count === undefined && found < limit && (found > 0 || startRow === 0))
    counted.count = startRow + found;
  if (counted.count === undefined && found === 0) countRows(db, req.filter);
  const page: PageResult = counted.count === undefined ? { rows } : { rows, lastRow: counted.count };
  return byCodes && rows.length < found ? { page, ids: byCodes.ids } : { page };
}
