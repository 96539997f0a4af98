/**
 * Id sets for the sorted pages of sort-ids.ts beyond the search's own (paging.ts matchIds), kept per
 * (filter, sort) state for its later pages: one from the page reader's value codes, and one past the
 * connection's cap for search sets. Split out of sort-ids.ts.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { codesIds } from './codes-ids';
import { findMatchIds, idSet, idSetCap, type MatchIds } from './match-ids';
import { takeKeptAddresses } from './page-words';

/** Sets found from the page reader's codes (codes-ids.ts), per (filter, sort) state. */
const coded = new WeakMap<object, MatchIds | null>();

/** The filter's set from the codes where they serve it (~10-20 ms at 5M), else undefined. */
export function codedSet(db: Database, filter: FilterModel, state: object): MatchIds | undefined {
  let ids = coded.get(state);
  if (ids === undefined) {
    const list = codesIds(db, filter);
    ids = list === null ? null : idSet(list);
    coded.set(state, ids);
  }
  return ids ?? undefined;
}

/** Sets found here past the connection's cap (pastCap), per (filter, sort) state. */
const wider = new WeakMap<object, MatchIds | null>();

/**
 * The filter's set when its count is over this connection's cap for search sets (match-ids.ts
 * idSetCap: 500k with record_facts, the CLI's and a bare page reader's case) but within the id sort's
 * share: the search's set is then null, and the page was left to the keyset walk of the sort index,
 * testing the filter on each entry's record (5M, `status:error`, 800k matches, by Usage ID / Job ID /
 * SMTP code / To Domain desc at row 9 950: 2.3-3.0 s under load; the failed set first read 500k ids,
 * ~0.4 s). Found once with the larger cap and kept for the state's later pages; undefined where the
 * search's own set serves (under its cap, or known).
 */
export function pastCap(
  db: Database,
  filter: FilterModel,
  state: object,
  cheap: number | null,
  cap: number,
  deep: boolean,
): MatchIds | null | undefined {
  const kept = wider.get(state);
  if (kept !== undefined) return kept;
  // First pages keep their paths: where the filter goes with the sort (`domain:web.de` by To Domain
  // asc, 5M), the walk of the set along the index passes most of it first (2.7-2.9 s against 0.5 s).
  if (!deep || cheap === null || cheap <= idSetCap(db)) return undefined;
  takeKeptAddresses(db, filter);
  const ids = findMatchIds(db, filter, cap);
  wider.set(state, ids);
  return ids;
}
