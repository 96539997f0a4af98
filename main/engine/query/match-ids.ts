/**
 * The ids of the records matching a filter no summary answers (free words, addresses, enhanced SMTP
 * codes, sizes, grid column filters), for the count, the histogram and the facets of one search.
 * Each of them used to find the matches on its own, by a plan that also fetched the columns it
 * needed (`jane` at 1M rows: count 1.3 s, histogram 3.2 s, facets 1.5 s, mostly the same LIKE pass
 * three times); now a reader finds them once per data version (paging.ts caches them with the
 * count), and each request reads only its columns for those ids.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { tryParseSearch, withoutTerms } from '../../../common/search-syntax';
import { compileWhere, type SqlPart, type TextResolver } from './filter';
import { addressMapReady, recordsWithAddresses } from './address-memory';
import { keptAddressPass } from './address-kept-pass';
import { factsMirror } from './facts-memory';
import { factsCoverage } from './record-facts';
import { createResolver, MAX_RESOLVED_VALUES_AGGREGATE, type AddressIds } from './resolver';
import { searchIndexCoverage } from './search-index';
import { valueTermIds } from './value-terms';
import { sortedDistinct } from './id-lists';
import { distinctIds, idsOf, readIds } from './match-id-reads';
import { everyIdExcept } from './complement-ids';
import { soleWord } from './plain-search';
import { everyExcept } from './words-except';
import { keptWordIds } from './word-ids';
import { connectionWordTokens } from './page-words';
import { wordFacetsIds } from './word-facets-ids';

/**
 * More matches than this and the id list is dropped: passing and probing it costs about what a pass
 * in the filter's own plan does, and it would hold megabytes per cached filter.
 */
export const MAX_MATCH_IDS = 150_000;
/**
 * With record_facts covering the records, probing an id costs a seek in a 17-byte-a-record table
 * instead of the ~900-byte table: worth it for more matches (`jane` at 5M rows: ~415k). Four cached
 * sets of this size hold ~14 MB as JSON.
 */
export const MAX_MATCH_IDS_FACTS = 500_000;

/**
 * Vocabulary candidates counted before a term counts as common in every column. A term common in one
 * column (`jane` at 5M rows: 340k addresses) is then still resolved in the others (11.8k reply texts,
 * none elsewhere): counting its 352k candidates took 118-276 ms, where the default cap (100k) sent
 * every column to a LIKE over its index (reply texts 482 ms, correlation ids 343 ms, job and usage
 * ids besides; all under load). Bounded, since a term common everywhere (`com`: 276k candidates at
 * 1M rows, all counted in 1065 ms against 434 ms for the first 100k) gets no id set either way; `com`
 * all four together at 1M measured 4.1-4.9 s before and 4.1-5.3 s after, the same within the load.
 */
export const MAX_CANDIDATES_IDS = 500_000;

/**
 * With the reader's mirror of record_facts complete (facts-memory.ts), an id set's facets and
 * histogram are a loop over its ids in memory, so even every record is worth one pass for its ids
 * instead of three scans in the filter's own plan (`-jane`, `size>100000` at 1M rows: all four
 * together 3.1 s and 7.4 s, quiet; at 5M 16.6 s and 10.2 s). 4 bytes an id; paging.ts bounds what
 * its cached sets hold in all.
 */
export const MAX_MATCH_IDS_MIRROR = 1e12;

/** The id-set size for this connection: larger where its mirror of record_facts is complete. */
export function idSetCap(db: Database): number {
  const coverage = factsCoverage(db);
  if (coverage === 0) return MAX_MATCH_IDS;
  return factsMirror(db, coverage) !== null ? MAX_MATCH_IDS_MIRROR : MAX_MATCH_IDS_FACTS;
}

export interface MatchIds {
  /** The ids as a JSON array, bound to `id IN (SELECT value FROM json_each(?))`. */
  readonly json: string;
  readonly count: number;
  /** The same ids (for the in-memory mirror of record_facts, facts-memory.ts): 4 bytes each. */
  readonly list: Uint32Array | Float64Array;
}

/**
 * `json` is written on first use: with the aggregate reader's mirror of record_facts nothing binds
 * it, and for `jane` at 5M rows (416k ids) it cost tens of ms and ~3 MB per cached set.
 */
export function idSet(list: Uint32Array | Float64Array): MatchIds {
  let json: string | undefined;
  return {
    count: list.length,
    list,
    get json(): string {
      // Integers only, so the joined list is the JSON array.
      json ??= `[${list.join(',')}]`;
      return json;
    },
  };
}

/** The ids as a WHERE clause body. */
export function idsPart(ids: MatchIds): SqlPart {
  return { sql: 'id IN (SELECT value FROM json_each(?))', params: [ids.json] };
}

/** The filter's matching ids, or null for no filter or more than `max` matches. */
export function findMatchIds(db: Database, filter: FilterModel, max = idSetCap(db)): MatchIds | null {
  // One read transaction: the vocabulary's coverage, the address map checked against it and the
  // LIKE over the records above it must all see the same commit.
  return db.transaction(() => matchIdsNow(db, filter, max))();
}

function matchIdsNow(db: Database, filter: FilterModel, max: number): MatchIds | null {
  // Every match is visited: a substring too common for the vocabulary is read from its column's
  // index (a set of ids) rather than by a LIKE over the table, as the facets do.
  const coverage = searchIndexCoverage(db);
  // Without a map, the kept map's chunks where this connection took them (the CLI's facets).
  const addresses: AddressIds | undefined = addressMapReady(db)
    ? (vids) => recordsWithAddresses(db, vids, coverage)
    : keptAddressPass(db, coverage);
  // The kept token dictionary where this connection restored it: the page reader's and the aggregate
  // reader's (page-words.ts) or the CLI's facets of a word (cli/kept-memories.ts); the resolver takes
  // it only if it fits.
  const tokens = addresses === undefined ? undefined : connectionWordTokens(db);
  const resolved = createResolver(db, MAX_RESOLVED_VALUES_AGGREGATE, MAX_CANDIDATES_IDS, addresses, tokens);
  const resolver: TextResolver = { ...resolved, visitsAll: true };
  // `from:` and `size` terms from the reader's memory, where the facts mirror makes every id set worth it.
  const values =
    max >= MAX_MATCH_IDS_MIRROR ? valueTermIds(db, filter, (rest) => restIds(db, rest, resolver)) : undefined;
  if (values !== undefined) return values === null || values.length > max ? null : idSet(values);
  // One free word: its set as kept across searches on the reader with the complete mirror (word-ids.ts).
  const word = max >= MAX_MATCH_IDS_MIRROR ? soleWord(filter) : null;
  if (word !== null) {
    const kept = keptWordIds(db, word, () => wordSet(db, compileWhere(filter, resolver)));
    if (kept !== null) return kept.count > max ? null : kept;
  }
  const split = negatedWordIds(db, filter, resolver, max);
  if (split !== undefined) return split === null || !ArrayBuffer.isView(split) ? split : idSet(split);
  // A word and facet terms: the word's set tested per combo (word-facets-ids.ts).
  const both =
    max >= MAX_MATCH_IDS_MIRROR
      ? wordFacetsIds(db, filter, (text, value) =>
          keptWordIds(db, value, () => wordSet(db, compileWhere({ q: text }, resolver))),
        )
      : undefined;
  if (both !== undefined) return both.length > max ? null : idSet(both);
  const where = compileWhere(filter, resolver);
  if (where.sql === '1') return null;
  // An OR of id sets is read as ids alone, not looked up in the table; anything else by the filter's
  // own plan.
  const ids =
    where.ids !== undefined
      ? distinctIds(db, where.ids, max)
      : readIds(db, `SELECT id FROM records WHERE ${where.sql}`, where.params, max + 1);
  if (ids === null || ids.length > max) return null;
  // Ascending: the mirror's loops then read its arrays in order (`size>100000` at 1M rows comes in
  // size order; its histogram loop took 90-140 ms unsorted under load).
  return idSet(sortedDistinct(ids));
}

/** A word's compiled part as its id set; null when it is no id set (the caller compiles the filter whole). */
function wordSet(db: Database, part: SqlPart): MatchIds | null {
  if (part.ids === undefined) return null;
  const ids = idsOf(db, part, MAX_MATCH_IDS_MIRROR);
  return ids === null ? null : idSet(ids);
}

/** The ids of a filter (every record for none), ascending, as the search without value terms finds them. */
function restIds(
  db: Database,
  rest: FilterModel,
  resolver: TextResolver,
): Uint32Array | Float64Array | null | undefined {
  const split = negatedWordIds(db, rest, resolver, MAX_MATCH_IDS_MIRROR);
  if (split !== undefined) return split === null || ArrayBuffer.isView(split) ? split : split.list;
  return idsOf(db, compileWhere(rest, resolver), MAX_MATCH_IDS_MIRROR);
}

/**
 * `-word` (a free word's id set, negated): the ids of the rest of the filter minus the word's ids,
 * subtracted here. In SQL the negation is a pass over every record probing the word's ids (`-jane` at
 * 1M rows: ids 0.8 s of the 0.9 s all four took, quiet); here it is the word's ids (83k), the rest's
 * (every id: read from record_facts, see idsOf) and a merge. Undefined when the filter has no such word (or a word that
 * is no id set): the caller compiles the filter whole.
 */
function negatedWordIds(
  db: Database,
  filter: FilterModel,
  resolver: TextResolver,
  max: number,
): Uint32Array | Float64Array | MatchIds | null | undefined {
  const q = filter.q;
  if (typeof q !== 'string' || q.trim() === '') return undefined;
  const parsed = tryParseSearch(q, filter.timeZone === undefined ? {} : { timeZone: filter.timeZone });
  if (!parsed.ok) return undefined;
  const words = parsed.terms.filter((t) => t.kind === 'text' && t.negate);
  if (words.length === 0) return undefined;
  // Each word as typed without its '-', compiled alone (no time bound: the rest carries it); on the
  // reader with the complete mirror, as kept across searches (word-ids.ts).
  const sets: MatchIds[] = [];
  const minus: (Uint32Array | Float64Array)[] = [];
  let total = 0;
  for (const t of words) {
    const find = (): MatchIds | null =>
      wordSet(db, compileWhere({ q: q.slice(t.start + 1, t.end) }, resolver));
    const ids = max >= MAX_MATCH_IDS_MIRROR ? keptWordIds(db, t.value, find) : find();
    if (ids === null) return undefined;
    sets.push(ids);
    minus.push(ids.list);
    total += ids.count;
  }
  const rest = compileWhere({ ...filter, q: withoutTerms(q, words) }, resolver);
  // Nothing but negated words: every record but theirs, as kept sets subtracted (words-except.ts),
  // else in one pass over the mirror (complement-ids.ts).
  const alone = rest.sql === '1' && rest.ids === undefined;
  const except = alone && max >= MAX_MATCH_IDS_MIRROR ? everyExcept(db, sets) : null;
  if (except !== null) return except;
  const every = alone ? everyIdExcept(db, minus, max) : undefined;
  if (every !== undefined) return every;
  const base = idsOf(db, rest, max + total);
  if (base === null) return null;
  // In place (idsOf's arrays are fresh, and the write index never passes the read index): a copy of
  // every id costs ~8 ms per MB faulted in (5M records: 20 MB).
  const out = base;
  let n = 0;
  const at = minus.map(() => 0);
  for (let i = 0; i < base.length; i++) {
    const id = base[i];
    let hit = false;
    for (let k = 0; k < minus.length; k++) {
      const m = minus[k];
      while (at[k] < m.length && m[at[k]] < id) at[k]++;
      if (at[k] < m.length && m[at[k]] === id) hit = true;
    }
    if (!hit) out[n++] = id;
  }
  return n > max ? null : out.subarray(0, n);
}
