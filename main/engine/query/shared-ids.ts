/**
 * A filter's id set handed from the aggregate reader (count, facets, histogram) to the page reader.
 *
 * Why: the page reader keeps no address map and no facts mirror (they would double the memory and
 * the load CPU at open), so it finds a free word's ids by SQL (`jane` at 5M rows: 1.4-2.9 s), and a
 * broad filter's set is past its cap (match-ids.ts idSetCap), so deeper sorted pages walked an index
 * checking each record by SQL (up to 5.2 s). The aggregate reader builds the same set from its
 * memories in tens of ms, and usually holds it already: the UI sends the count, facets and histogram
 * with the page. With the set, ids-scan.ts walks the sort column's index testing a bitset, and
 * sort-codes.ts counts codes over it.
 *
 * Exact: the answer is tagged with the aggregate reader's records generation and max(id), read in the
 * same read transaction as the set. The page reader adopts it in its own read transaction only for
 * the same generation (no record deleted or updated in between: records-generation.ts); records are
 * only ever added above max(id), so the set restricted to its own max(id) is exact for an older
 * snapshot, and for a newer one the matches above the tag are read by SQL (an append's records).
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel, PageRequest } from '../../../common/contract';
import { TIE_CODE_EXPRS } from './column-codes';
import { factsIds } from './facts-ids';
import { compileWhere } from './filter';
import { idSet, idSetCap, type MatchIds } from './match-ids';
import { adoptMatchIds, filterState, matchIds } from './paging';
import { recordsGeneration, maxRecordId } from './records-generation';
import { createResolver } from './resolver';
import { ID_SORT_SHARE } from './sort-ids';
import { unfiltered } from './sort-index';
import { resolveSort } from './sql';
import { summaryCount } from './summary-read';

/** The aggregate reader's answer: its set ascending, and the snapshot it belongs to. */
export interface IdAnswer {
  readonly generation: string;
  readonly maxId: number;
  readonly ids: Uint32Array;
}

/**
 * The page reader's per-search states (paging.ts, one per filter and data version) whose set was asked
 * for already: an answer of none (the aggregate reader's memories still loading, too many matches for
 * its cap) is not asked again for every page the user scrolls to.
 */
const asked = new WeakSet<object>();

/**
 * The states whose cheap count said "the page reader finds this set itself" (few matches). Why: the
 * answer holds for the state's life (one records fingerprint: the count and max id cannot change
 * under it), and the count was read again for every page: `status:error` at 1M rows (161k matches),
 * 9-15 ms of summary reads per page, which made the page after a deeper page 15-21 ms against 3 ms
 * on a bare connection (bench query section, id sets from the aggregate reader).
 */
const declined = new WeakSet<object>();

/** Sorts the composite time and id indexes serve under any filter (sort-ids.ts leaves them as they are). */
const OWN_SORTS = new Set(['id', 'creation_time_ms']);

/**
 * Whether the page reader should ask for the filter's set before serving `req`: a filtered sort by a
 * single column other than time or id, whose set it does not hold, and whose set it would find slowly
 * itself or not at all (no summary answers the filter's count: free words, addresses, sizes; or the
 * matches are more than its cap or the share sort-ids.ts sorts). The default sort (newest first)
 * never asks: its first page must not wait behind the aggregate reader's histogram.
 */
export function wantsIds(db: Database, req: PageRequest): boolean {
  const filter = req.filter;
  if (typeof filter !== 'object' || filter === null || unfiltered(filter)) return false;
  const keys = resolveSort(req.sort);
  // Three keys: status / substatus / details with their time tie-break (status-page.ts counts over the set).
  const tie =
    keys.length === 3 && TIE_CODE_EXPRS.includes(keys[0].expr) && keys[1].expr === 'creation_time_ms';
  if ((keys.length !== 2 && !tie) || OWN_SORTS.has(keys[0].expr)) return false;
  const state = filterState(db, filter, undefined);
  if (state.ids !== undefined || asked.has(state) || declined.has(state)) return false;
  const cheap = summaryCount(db, filter);
  if (cheap === null) return true;
  const want = cheap > idSetCap(db) || cheap > maxRecordId(db) / ID_SORT_SHARE;
  if (!want) declined.add(state);
  return want;
}

/**
 * Each cached set's copy in shared memory, made on the first ask and handed out on every later one.
 * Why: a fresh copy per ask (`-status:error` at 5M: 4.4M ids, 17.6 MB) made each sorted page's ask
 * allocate a set's worth of array buffer; V8 counts that as external memory and starts a mark-compact
 * every few asks, whose marking steps and finalization paused later pages (18b). A SharedArrayBuffer
 * is posted between threads without a copy, and the page reader only reads it (ids-scan.ts,
 * sort-codes.ts), as the aggregate reader does its own set.
 */
const sharedCopies = new WeakMap<MatchIds, Uint32Array>();

/** `set`'s ids in shared memory (copied once per set, kept as long as the set). */
function sharedCopy(set: MatchIds, list: Uint32Array): Uint32Array {
  let copy = sharedCopies.get(set);
  if (copy === undefined) {
    copy = new Uint32Array(new SharedArrayBuffer(list.byteLength));
    copy.set(list);
    sharedCopies.set(set, copy);
  }
  return copy;
}

/**
 * The filter's set on the aggregate reader (the search's cached one, else found now from its
 * memories), as a copy in shared memory (the cached set stays with the aggregate reader's search);
 * null when it has none (too many matches for its cap while its memories load, ids past 2^32).
 */
export function answerIds(db: Database, filter: FilterModel): IdAnswer | null {
  return db.transaction(() => {
    // A facet/time filter not yet found: from the facts mirror in one pass (facts-ids.ts), kept for
    // the aggregate reader's own count, facets and histogram of the search.
    const state = filterState(db, filter, undefined);
    const fast = state.ids === undefined ? factsIds(db, filter) : null;
    if (fast !== null) adoptMatchIds(db, filter, idSet(fast));
    const set = matchIds(db, filter);
    if (set === null || !(set.list instanceof Uint32Array)) return null;
    const ids = sharedCopy(set, set.list);
    return { generation: recordsGeneration(db), maxId: maxRecordId(db), ids };
  })();
}

/** The count of ids in an ascending list that are <= `top`. */
function upTo(ids: Uint32Array, top: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] <= top) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Makes `answer` the page reader's set for `filter` when it belongs to this connection's snapshot
 * (see above); false when declined (none, or another generation: the page reader finds its own as
 * before). Either way this search does not ask again (wantsIds).
 */
export function adoptIds(db: Database, filter: FilterModel, answer: IdAnswer | null): boolean {
  return db.transaction(() => {
    asked.add(filterState(db, filter, undefined));
    if (answer === null || recordsGeneration(db) !== answer.generation) return false;
    const top = maxRecordId(db);
    let list = answer.ids.subarray(0, upTo(answer.ids, top));
    if (top > answer.maxId) {
      // Records added since the aggregate reader's snapshot: few (an append), read by rowid range.
      const where = compileWhere(filter, createResolver(db));
      const above = db
        .prepare(`SELECT id FROM records WHERE id > ? AND (${where.sql}) ORDER BY id`)
        .pluck()
        .all(answer.maxId, ...where.params) as number[];
      if (above.some((id) => id > 0xffffffff)) return false;
      const joined = new Uint32Array(list.length + above.length);
      joined.set(list);
      joined.set(above, list.length);
      list = joined;
    }
    adoptMatchIds(db, filter, idSet(list));
    return true;
  })();
}
