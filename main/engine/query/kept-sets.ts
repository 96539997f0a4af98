/**
 * The filter id sets the page reader finds for its coded sorts (sort-codes.ts, status-page.ts) and
 * keeps for the next pages of the same search: the search's own set if known, else one from the
 * value codes (codes-ids.ts), else found by SQL. Split out of sort-codes.ts.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { codesIds } from './codes-ids';
import { findMatchIds, type MatchIds } from './match-ids';
import { takeKeptAddresses } from './page-words';
import { maxRecordId, recordsGeneration } from './records-generation';
import { summaryCount } from './summary-read';

type IdList = Uint32Array | Float64Array;

/** Id sets kept for later pages, newest last (4-8 bytes an id: a 5M-record set is 20-40 MB). */
const MAX_KEPT = 2;
const kept = new WeakMap<
  Database,
  { readonly owner: object; readonly list: IdList; readonly records: string }[]
>();

/**
 * The records a set was found for: the owner (paging.ts' per-filter state) is dropped when records
 * change, but only at the next request; a set found outside the page's read transaction (setAtHand)
 * must not serve a page whose snapshot already holds an append or a removal.
 */
function records(db: Database): string {
  return `${recordsGeneration(db)}:${maxRecordId(db)}`;
}

function keptFor(db: Database, owner: object): IdList | undefined {
  const now = records(db);
  return kept.get(db)?.find((k) => k.owner === owner && k.records === now)?.list;
}

/** The filter's ids, ascending: the search's set if known, else found now (any size) and kept with `owner`. */
export function matchList(
  db: Database,
  filter: FilterModel,
  owner: { ids?: MatchIds | null },
): IdList | null {
  if (owner.ids) return owner.ids.list;
  const hit = keptFor(db, owner);
  if (hit) return hit;
  // From the codes where the search is of coded columns only (codes-ids.ts: ~10-20 ms at 5M, SQL 0.3-3 s).
  let list: IdList | undefined = codesIds(db, filter) ?? undefined;
  if (list === undefined) {
    // A free word through the kept address map (page-words.ts).
    takeKeptAddresses(db, filter);
    list = findMatchIds(db, filter, Number.MAX_SAFE_INTEGER)?.list;
  }
  if (list === undefined) return null;
  keep(db, owner, list);
  return list;
}

function keep(db: Database, owner: object, list: IdList): void {
  const held = kept.get(db) ?? [];
  held.push({ owner, list, records: records(db) });
  while (held.length > MAX_KEPT) held.shift();
  kept.set(db, held);
}

/** Whether the set is at hand: known, kept, or found now from the codes (and kept with `owner`). */
export function setAtHand(db: Database, filter: FilterModel, owner: { ids?: MatchIds | null }): boolean {
  if (owner.ids || keptFor(db, owner) !== undefined) return true;
  const list = db.transaction(() => codesIds(db, filter))();
  if (list === null) return false;
  keep(db, owner, list);
  return true;
}

/**
 * Whether the filter matches more than half the records and its id set is not found yet: finding it
 * costs more than the SQL path's single sorted pass for a first page (5M, `-status:error`, 4.2M ids,
 * same load: 11.7-15.0 s against 6.4-6.8 s), while `status:error` (800k ids, read through its index)
 * was 1.8 s against 4.3-6.8 s. Deeper pages find it (OFFSET would sort all matches for each page).
 */
export function broadUnknown(
  db: Database,
  filter: FilterModel,
  state: { ids?: MatchIds | null; count?: number },
): boolean {
  if (setAtHand(db, filter, state)) return false;
  const n = state.count ?? summaryCount(db, filter);
  if (n === null || n === undefined) return false;
  const top = db.prepare('SELECT ifnull(max(id), 0) FROM records').pluck().get() as number;
  return n > top / 2;
}

/** Whether a set is kept for `owner`. */
export function isKept(db: Database, owner: object): boolean {
  return keptFor(db, owner) !== undefined;
}
