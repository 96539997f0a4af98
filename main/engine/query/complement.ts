/**
 * A search with negated terms no summary answers (`-jane`, `status:ok -from:news`) as its rest minus a
 * small set: the records matching F = R AND NOT t1 AND ... AND NOT tk are those of R less the ids of
 * (R AND t1) ∪ ... ∪ (R AND tk). The engine's NOT is the exact complement (filter.ts: `NOT ifnull(x, 0)`
 * keeps rows where x is NULL), so counts, facet counts and histogram buckets of F are R's (from the
 * summaries: a few ms) less those of that set (an id set of the positive searches, found as any
 * free word's is).
 *
 * Why: without the aggregate reader's facts mirror (the CLI's bare connection, a case whose memories
 * are still loading) `-jane` at 1M rows matches 917k records: more than an id set may hold, so each
 * request compiled the negation into a pass over every record probing jane's ids (measured under
 * load on a bare connection: count 1.1 s, facets 0.7 s, histogram 1.9 s). `jane` itself is 83k ids.
 *
 * Only on connections without the complete mirror (with it, match-ids.ts already subtracts in memory)
 * and on those that ask for it (preferComplement).
 */
import type { Database } from 'better-sqlite3';
import { LIMITS, type FilterModel } from '../../../common/contract';
import { tryParseSearch, withoutTerms, type SearchTerm } from '../../../common/search-syntax';
import { idSet, idSetCap, MAX_MATCH_IDS_MIRROR, type MatchIds } from './match-ids';
import { mergeDistinct } from './id-lists';
import { filterState, matchIds } from './paging';
import { FACET_FIELDS, summaryCoverage, summaryFilter } from './summary';
import { summaryCount } from './summary-read';

/** A filter split into its summary-answered rest and the ids to take away from it. */
export interface Complement {
  /** The filter without the negated terms taken out: the summaries answer it. */
  readonly rest: FilterModel;
  /** Ascending ids of the records of `rest` that one of those terms matches. */
  readonly minus: MatchIds;
}

/**
 * Connections that take the complement even with the complete mirror: the CLI's `facets`
 * (cli/kept-memories.ts). With the mirror, match-ids.ts subtracts in memory and the facets are a pass
 * over every remaining id, a pass the aggregate reader's histogram of the same search then shares
 * (its hours are counted in it). The CLI asks for the facets alone: `-jane` at 5M rows spent ~560 ms
 * of its CPU profile in that pass over 4.6M ids (mirrorFactRows 414 ms, everyIdExcept 144 ms) against
 * 46 ms for the mirror's pass over jane's 416k ids here (README, issue 12, 12w).
 */
const complementFirst = new WeakSet<Database>();

/** Lets `db` answer negated searches as their rest less a set even with its facts mirror complete. */
export function preferComplement(db: Database): void {
  complementFirst.add(db);
}

/** Per search state of paging.ts (one per filter and data version): the union of several terms' sets. */
const found = new WeakMap<object, Complement | null>();

/** Whether a term alone is answered by a summary (such negated terms stay in the rest). */
function summarised(q: string, t: SearchTerm, timeZone: string | undefined): boolean {
  const alone: FilterModel = { q: q.slice(t.start, t.end), ...(timeZone === undefined ? {} : { timeZone }) };
  return summaryFilter(alone, true, FACET_FIELDS) !== null;
}

/**
 * The filter's rest and its set to subtract, or null when it has no such negated term, the rest is
 * more than the summaries answer, or a positive search has too many matches for an id set.
 */
export function complementOf(db: Database, filter: FilterModel): Complement | null {
  if (typeof filter !== 'object' || filter === null) return null;
  const q = filter.q;
  // Too long: compileWhere reports it on the ordinary path (the rest alone might pass).
  if (typeof q !== 'string' || !q.includes('-') || q.length > LIMITS.maxQueryLength) return null;
  if (filter.conditions !== undefined && filter.conditions.length > 0) return null;
  // Nothing summarised yet (a first import's summary pending): the rest has no cheap answer either.
  if ((idSetCap(db) >= MAX_MATCH_IDS_MIRROR && !complementFirst.has(db)) || summaryCoverage(db) === 0)
    return null;
  const zone = filter.timeZone;
  const parsed = tryParseSearch(q, zone === undefined ? {} : { timeZone: zone });
  if (!parsed.ok) return null;
  const negated = parsed.terms.filter((t) => t.negate && !summarised(q, t, zone));
  if (negated.length === 0) return null;
  // A field named by another term too: positive, it would join that term's OR group (filter.ts
  // searchPart), so R AND t would not be what the search meant.
  const named = (t: SearchTerm): string | null => (t.kind === 'field' ? t.field.name : null);
  for (const t of negated) {
    const name = named(t);
    if (name !== null && parsed.terms.some((o) => o !== t && named(o) === name)) return null;
  }
  const restQ = withoutTerms(q, negated);
  const rest: FilterModel = { ...filter, q: restQ };
  if (summaryFilter(rest, true, FACET_FIELDS) === null) return null;
  const state = filterState(db, filter, undefined);
  const known = found.get(state);
  if (known !== undefined) return known;
  const out = subtracted(db, rest, restQ, q, negated);
  found.set(state, out);
  return out;
}

function subtracted(
  db: Database,
  rest: FilterModel,
  restQ: string,
  q: string,
  negated: readonly SearchTerm[],
): Complement | null {
  const sets: Uint32Array[] = [];
  let one: MatchIds | null = null;
  for (const t of negated) {
    // The term as typed without its '-': it must parse back to the same term, positive.
    const term = q.slice(t.start + 1, t.end);
    const again = tryParseSearch(term, rest.timeZone === undefined ? {} : { timeZone: rest.timeZone });
    if (!again.ok || again.terms.length !== 1 || again.terms[0].negate) return null;
    const ids = matchIds(db, { ...rest, q: `${restQ} ${term}` });
    if (ids === null || !(ids.list instanceof Uint32Array)) return null;
    one = ids;
    sets.push(ids.list);
  }
  // One term: its own set (the facets and the histogram then share its pass over record_facts).
  if (sets.length === 1 && one !== null) return { rest, minus: one };
  return { rest, minus: idSet(sets.reduce((a, b) => mergeDistinct(a, b), new Uint32Array(0))) };
}

/** The count as the rest's (from the summaries) less the subtracted set's; null when that does not apply. */
export function complementCount(db: Database, filter: FilterModel): number | null {
  const c = complementOf(db, filter);
  if (c === null) return null;
  const total = summaryCount(db, c.rest);
  return total === null ? null : total - c.minus.count;
}
