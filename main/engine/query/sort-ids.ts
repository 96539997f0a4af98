/**
 * Sorted pages of a selective filter: the matching records sorted, instead of an index walked in the
 * sort's order with the filter checked on every record it passes. The walk reads about
 * startRow / (share of records matching) records before the page if matches are spread evenly, but
 * when the filter and the sort column go together it reads far more: `jane` sorted by Message To (its
 * addresses sit together in that order) walked 1.3-3.6 s at 1M rows and 17-52 s at 5M, under load,
 * and a deep page of a column no index orders sorted the whole table again for every page.
 *
 * So, for a filtered single-column sort (not time or id, whose composite indexes serve filters well,
 * and not the status columns with their time tie-break):
 * 1. where an index orders the column, its first PROBE_ENTRIES entries are probed (one lookup each):
 *    a filter matching densely and evenly fills the page there, in tens of ms at most;
 * 2. otherwise, if the filter matches at most 1/ID_SORT_SHARE of the records, its ids (match-ids.ts,
 *    the set the count, facets and histogram share) are looked up and sorted by the column: the first
 *    pages by a top-N sort, a deeper page by sorting them all once and keeping the order, so every
 *    later page is a slice;
 * 3. otherwise, if the probe found too few matches for a first page, the table is sorted top-N with the
 *    index kept out (walking on could look up most of the index); else null: the caller pages as
 *    before (a broad filter fills pages quickly along an index).
 * Exact: the same ORDER BY as the other paths (sql.ts keys, with the id tie-break) over exactly the
 * matching ids; the probe only answers with key groups it read whole.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel, RecordRow } from '../../../common/contract';
import type { SqlPart } from './filter';
import type { MatchIds } from './match-ids';
import { codedSet, pastCap } from './page-sets';
import { orderBySql, RECORD_SELECT, type ResolvedSortKey } from './sql';
import { PROBE_ENTRIES, unfiltered } from './sort-index';
import { partialFor, probeSides } from './probe-sides';
import { scanIds, type ScanIndex } from './ids-scan';

/**
 * Id sets up to records / ID_SORT_SHARE are sorted. Looking a match up costs ~2 µs against ~0.4 µs
 * per record for the pass over the table a whole-table sort makes (1M rows, under load): beyond a
 * fifth of the records, sorting the table (or walking an index) is no slower.
 */
export const ID_SORT_SHARE = 5;
/** Pages ending within this many rows are sorted top-N; deeper ones sort all matches once. */
const TOP_N_ROWS = 1_000;
/** The fewest index entries the walk of a set past the search's cap may pass (pastCap). */
const WIDE_WALK_MIN = 200_000;
/** Sorted orders kept per connection (4 bytes an id, at most records / ID_SORT_SHARE ids each). */
const MAX_ORDERS = 4;

/** The filter's cheap count (summaries) and its id set, both from paging.ts's per-search cache. */
export interface MatchSource {
  readonly cheapCount: () => number | null;
  readonly ids: () => MatchIds | null;
  /** The id set if this search has found it already (undefined: not yet). */
  readonly knownIds: () => MatchIds | null | undefined;
}

const orders = new WeakMap<object, Uint32Array | Float64Array>();
const holders = new WeakMap<Database, object[]>();

/** Sort expressions whose pages the composite indexes or the time tie-break serve better as they are. */
const LEFT_AS_IS = new Set(['id', 'creation_time_ms']);

/**
 * A full (not partial) index whose first key is `expr`, or null. Partial ones (`WHERE id <= K`, issue
 * 11) are skipped: they do not hold every record, and INDEXED BY one would not compile.
 */
function plainIndexFor(db: Database, expr: string): { name: string; cols: string } | null {
  const rows = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' AND sql IS NOT NULL",
    )
    .all() as { name: string; sql: string }[];
  for (const r of rows) {
    const sql = r.sql.replace(/\s+/g, ' ');
    if (/\bWHERE\b/i.test(sql)) continue;
    const cols = /ON records ?\((.*)\)$/i.exec(sql)?.[1];
    if (cols === undefined) continue;
    if (cols === expr || cols.startsWith(`${expr},`) || cols.startsWith(`${expr} `))
      return { name: r.name, cols };
  }
  return null;
}

/** The index a walk restricted to an id set reads (ids-scan.ts): a whole one, else a partial one. */
function scanIndexFor(db: Database, expr: string): ScanIndex | null {
  const whole = plainIndexFor(db, expr);
  if (whole !== null) return { name: whole.name, exact: whole.cols === expr, upto: null, cols: whole.cols };
  const partial = partialFor(db, expr);
  return partial === null
    ? null
    : { name: partial.name, exact: partial.cols === expr, upto: partial.upto, cols: partial.cols };
}

/** What a probe found: the page's ids (null: not all there), and whether its matches were too few. */
export interface Probe {
  readonly page: number[] | null;
  /** Fewer than endRow matches among the probed entries, even counting an unfinished key group. */
  readonly sparse: boolean;
}

/**
 * Rows [startRow, endRow) from the first `probe` entries of `index` (columns `cols`), or null when
 * they are not all there. Entries are in key order; within a key they are in id order only where the
 * index is the column alone (rowid next). Otherwise (records_to holds time after the address) only
 * key groups the probe holds whole count: those before the key of its last entry (all of them when
 * the probe read the whole index).
 */
export function probeIndex(
  db: Database,
  index: { readonly name: string; readonly cols: string },
  where: SqlPart,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  endRow: number,
  probe = PROBE_ENTRIES,
): Probe {
  if (endRow > probe) return { page: null, sparse: false };
  const expr = keys[0].expr;
  const dir = keys[0].dir === 'asc' ? 'ASC' : 'DESC';
  const entries = `SELECT id AS pid, ${expr} AS k FROM records INDEXED BY ${index.name} ORDER BY ${expr} ${dir}`;
  const last = db
    .prepare(`${entries} LIMIT 1 OFFSET ?`)
    .raw()
    .get(probe - 1) as [number, unknown] | undefined;
  // CROSS JOIN keeps the probe the outer loop: only its entries are looked up.
  const rows = db
    .prepare(
      `SELECT r.id, p.k FROM (${entries} LIMIT ?) AS p CROSS JOIN records AS r ON r.id = p.pid
       WHERE ${where.sql} ORDER BY p.k ${dir}, p.pid ${dir} LIMIT ?`,
    )
    .raw()
    .all(probe, ...where.params, endRow) as [number, unknown][];
  // The index holds fewer than `probe` entries: the probe read all of it, every group is whole.
  if (last === undefined) return { page: rows.slice(startRow, endRow).map((r) => r[0]), sparse: false };
  // The unfinished group sorts last among the probe's matches (its key is the probe's last).
  const whole = index.cols === expr ? rows : rows.filter((r) => r[1] !== last[1]);
  if (whole.length >= endRow) return { page: whole.slice(startRow, endRow).map((r) => r[0]), sparse: false };
  return { page: null, sparse: rows.length < endRow };
}

/** probeIndex's page for an index found by name (the tests probe each kind of index). */
export function probeSorted(
  db: Database,
  name: string,
  where: SqlPart,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  endRow: number,
  probe = PROBE_ENTRIES,
): number[] | null {
  const index = plainIndexFor(db, keys[0].expr);
  if (index?.name !== name) throw new Error(`${name} is not a full index on ${keys[0].expr}`);
  return probeIndex(db, index, where, keys, startRow, endRow, probe).page;
}

/** The first entries of the column's index probed (a whole index, else a partial one), or null: none. */
export function indexProbe(
  db: Database,
  where: SqlPart,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  endRow: number,
): Probe | null {
  const index = plainIndexFor(db, keys[0].expr);
  return index === null
    ? probeSides(db, where, keys, startRow, endRow, PROBE_ENTRIES)
    : probeIndex(db, index, where, keys, startRow, endRow);
}

/** The records of `ids`, in that order. */
export function recordsOf(db: Database, ids: readonly number[]): RecordRow[] {
  if (ids.length === 0) return [];
  const rows = db
    .prepare(`SELECT ${RECORD_SELECT} FROM records WHERE id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids)) as RecordRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) as RecordRow);
}

/**
 * The matching ids sorted by `keys`, rows [startRow, endRow). NOT INDEXED keeps SQLite from walking
 * a sort index and testing each entry against the set (rowid lookups stay allowed).
 */
function sortIds(
  db: Database,
  state: object,
  ids: MatchIds,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  endRow: number,
): number[] {
  const known = orders.get(state);
  if (known !== undefined) return Array.from(known.subarray(startRow, endRow));
  const sql = `SELECT id FROM records NOT INDEXED WHERE id IN (SELECT value FROM json_each(?)) ORDER BY ${orderBySql(keys)}`;
  if (endRow <= TOP_N_ROWS)
    return db
      .prepare(`${sql} LIMIT ? OFFSET ?`)
      .pluck()
      .all(ids.json, endRow - startRow, startRow) as number[];
  const all = db.prepare(sql).pluck().all(ids.json) as number[];
  const order = ids.list instanceof Uint32Array ? Uint32Array.from(all) : Float64Array.from(all);
  orders.set(state, order);
  const held = holders.get(db) ?? [];
  held.push(state);
  while (held.length > MAX_ORDERS) orders.delete(held.shift() as object);
  holders.set(db, held);
  return Array.from(order.subarray(startRow, endRow));
}

/** How many sorted orders this connection keeps (the tests check that a deep page made one). */
export function keptOrders(db: Database): number {
  return holders.get(db)?.length ?? 0;
}

/**
 * The page of a selective filtered sort (see above), or null when this file does not serve it.
 * `state` is the (filter, sort) cache entry of paging.ts: a sorted order lives as long as it does.
 */
export function selectivePage(
  db: Database,
  filter: FilterModel,
  where: SqlPart,
  keys: readonly ResolvedSortKey[],
  state: object,
  startRow: number,
  endRow: number,
  source: MatchSource,
): RecordRow[] | null {
  if (unfiltered(filter) || keys.length !== 2 || LEFT_AS_IS.has(keys[0].expr)) return null;
  // One snapshot for the probe, the ids and the rows.
  return db.transaction(() => {
    let walkBad = false;
    if (!orders.has(state)) {
      // A partial grid index (issue 11) is probed with the delta above its bound (probe-sides.ts).
      const probed = indexProbe(db, where, keys, startRow, endRow);
      if (probed?.page) return recordsOf(db, probed.page);
      walkBad = probed?.sparse === true;
      // Matches dense among the first entries, only the page not in whole key groups (a common domain
      // fills the probe): the walk finds the page quickly, as before (1M rows, `jane` by To Domain:
      // 350 ms walked, 720-875 ms sorting its ids, under load).
      if (probed !== null && probed.page === null && !walkBad && endRow <= PROBE_ENTRIES) return null;
      // No index to walk: SQLite's plan for the filter with a top-N sort reads what finding the ids
      // would (1M rows, `jane`: ids 280 ms, then their sort), so a first page finds them only if the
      // search has them already; deeper pages sort them once for all the pages after.
      if (
        probed === null &&
        endRow <= TOP_N_ROWS &&
        (source.knownIds() ?? codedSet(db, filter, state)) === undefined
      )
        return null;
    }
    const records = db.prepare('SELECT ifnull(max(id), 0) FROM records').pluck().get() as number;
    const cap = Math.floor(records / ID_SORT_SHARE);
    // A broad set this reader holds already (handed over by the aggregate reader, shared-ids.ts):
    // dense, so a walk along the column's index testing it passes about endRow / share entries.
    // The search's set, else one from the page reader's codes where they serve the filter.
    const mine = source.knownIds() ?? codedSet(db, filter, state);
    const known = orders.has(state) ? undefined : mine;
    if (known && known.count > cap) {
      const index = scanIndexFor(db, keys[0].expr);
      const page = index === null ? null : scanIds(db, index, known, keys, startRow, endRow);
      if (page !== null) return recordsOf(db, page);
    }
    const cheap = orders.has(state) ? null : source.cheapCount();
    const over = cheap !== null && cheap > cap;
    const wide = over || mine ? undefined : pastCap(db, filter, state, cheap, cap, endRow > TOP_N_ROWS);
    const ids = over ? null : (mine ?? wide ?? source.ids());
    if (ids !== null && ids.count <= cap) {
      // Along the column's index, the set tested per entry, where that passes few entries (ids-scan.ts).
      const index = orders.has(state) ? null : scanIndexFor(db, keys[0].expr);
      // A set past the search's cap walks only about what evenly spread matches need (x16); where the
      // filter goes with the sort (`domain:web.de` by To Domain asc: most of the index first) it
      // leaves the page to the caller's walk, as before, rather than sort 500k+ ids.
      const most = wide
        ? Math.max(WIDE_WALK_MIN, (16 * endRow * records) / Math.max(1, ids.count))
        : undefined;
      const page = index === null ? null : scanIds(db, index, ids, keys, startRow, endRow, most);
      if (page === null && wide) return null;
      return recordsOf(db, page ?? sortIds(db, state, ids, keys, startRow, endRow));
    }
    // A broad filter the index's first entries hardly match (`-status:error` by SMTP code descending:
    // the 5xx codes come first, all errors): walking on would look up every entry until the page is
    // full (1M rows: 2.6 s). One pass over the table with a top-N sort is bounded.
    return walkBad ? tableSorted(db, where, keys, startRow, endRow) : null;
  })();
}

/** A page sorted from the table, the sort's index kept out of the plan (`+expr`). */
export function tableSorted(
  db: Database,
  where: SqlPart,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  endRow: number,
): RecordRow[] {
  const order = orderBySql(keys.map((k, i) => (i === 0 ? { ...k, expr: `+${k.expr}` } : k)));
  const ids = db
    .prepare(`SELECT id FROM records WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...where.params, endRow - startRow, startRow) as number[];
  return recordsOf(db, ids);
}
