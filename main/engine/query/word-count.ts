/**
 * The count of one free word (`jane`) or one negated word (`-jane`) from the kept counts per address
 * (address-counts.ts), on a connection that restored them in place of the address map (the CLI's
 * `count`, cli/kept-memories.ts): the records whose address holds the word are the sum of their
 * addresses' counts; the records the word finds through another column (reply texts, senders,
 * domains) or above the vocabulary's coverage are read by SQL as the id set reads them, and counted
 * unless their address holds the word too (already in the sum).
 *
 * Why: the map's 20 MB restore and its pass over 5M entries were ~420 of ~1 050 ms of `count jane` in
 * the engine (CPU profile at 5M rows under load). The word's vocabulary ids come from the kept token
 * dictionary when it was restored (word-tokens-kept.ts), else from the trigram statement as before.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { tryParseSearch } from '../../../common/search-syntax';
import { addressCounts, keptAddressesOf, sumAddressCounts, type AddressCounts } from './address-counts';
import { compileWhere, type SqlPart, type TextResolver } from './filter';
import { columnBound, gridBounds } from './grid-partial';
import { sortedDistinct } from './id-lists';
import { MEMORY_CACHE_TABLE } from './memory-cache';
import { MAX_CANDIDATES_IDS } from './match-ids';
import { createResolver, MAX_RESOLVED_VALUES_AGGREGATE } from './resolver';
import { splitAtBound } from './partial-index';
import { maxRecordId, searchIndexCoverage } from './search-index';
import { summaryCount } from './summary-read';
import { hasWordRecords, otherValueRecords } from './word-records';
import { tokensFit, wordTokens, type KeptTokens } from './word-tokens-kept';
import { inUnion, tokensHolding, unionBits, type PostingsUnion } from './word-tokens';

/** The word as typed (quotes kept) and whether it is negated, for a search of that one term; else null. */
export function oneWord(filter: FilterModel): { text: string; value: string; negate: boolean } | null {
  const q = filter.q;
  if (typeof q !== 'string' || q.trim() === '') return null;
  const parsed = tryParseSearch(q, filter.timeZone === undefined ? {} : { timeZone: filter.timeZone });
  if (!parsed.ok || parsed.terms.length !== 1) return null;
  const t = parsed.terms[0];
  if (t.kind !== 'text') return null;
  return { text: q.slice(t.start + (t.negate ? 1 : 0), t.end), value: t.value, negate: t.negate };
}

/** Whether `v` is in `sorted` (ascending). */
function has(sorted: ArrayLike<number>, v: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] === v) return true;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * The records of the word's other branches (other columns; any column above the coverage) whose
 * address is not one of `vids`: those are not in the sum. Their address ids are read from the kept
 * map's chunks they fall in (5M rows under load: probing the 11 839 records' message_to by SQL took
 * 194-442 ms).
 */
function otherRecords(
  db: Database,
  union: SqlPart,
  coverage: number,
  vids: ArrayLike<number>,
): number | null {
  const json = db
    .prepare(`WITH s(v) AS (${union.sql}) SELECT json_group_array(v) FROM s`)
    .pluck()
    .get(...union.params) as string;
  const ids = [...new Set(JSON.parse(json) as number[])];
  const below = ids.filter((id) => id <= coverage);
  if (below.length === 0) return ids.length;
  const addresses = keptAddressesOf(db, MEMORY_CACHE_TABLE, coverage, below);
  if (addresses === null) return null;
  let n = ids.length - below.length;
  for (const v of addresses) if (!has(vids, v)) n++;
  return n;
}

/**
 * The dictionary's other values (not of message_to) in the union, ascending: a pass over those 142k
 * entries at 5M rows with a bit test each, where splitting the union's 351k ids of `jane` by a merge
 * (keptWordIds) and finding each record's address in that split by binary search ran unoptimised in
 * the CLI's fresh process (19b). An address id is in the union iff it is one of the word's addresses.
 */
function othersIn(t: KeptTokens, union: PostingsUnion): Uint32Array {
  const other = t.other;
  const out: number[] = [];
  for (let j = 0; j < other.length; j += 2) if (inUnion(union, other[j])) out.push(other[j]);
  return Uint32Array.from(out);
}

/** The IDs a free word equals (filter-contains.ts quickText). */
const ID_COLUMNS = ['correlation_id', 'job_id', 'usage_id'] as const;

/**
 * The records of `value` (a positive word) from the kept parts alone: the sum over its addresses, and
 * the records of its other values with their addresses (word-records.ts) and of the IDs it equals
 * (one seek each), counted unless their address holds the word. Null when the dictionary or that part
 * does not fit, records lie above the coverage, or a value's records are not kept: the caller then
 * reads them by SQL. Why: that SQL and the address chunks it needs were ~80 of ~220 ms of CPU of
 * `count jane` at 5M rows in a fresh process under load (README 18a).
 */
function keptRecordsCount(
  db: Database,
  counts: AddressCounts,
  coverage: number,
  value: string,
): number | null {
  const tokens = wordTokens(db);
  const maxId = maxRecordId(db);
  if (tokens === null || !tokensFit(db, tokens, coverage) || maxId > coverage) return null;
  // Without the part (a workspace kept before it) the word's ids are left to the resolver's one lookup.
  if (!hasWordRecords(db, tokens)) return null;
  const held = tokensHolding(tokens.text, value);
  const union =
    held === null ? null : unionBits(held, (k) => tokens.postings(tokens.offsets[k], tokens.offsets[k + 1]));
  if (union === null) return null;
  const others = otherValueRecords(db, tokens, othersIn(tokens, union));
  // The sum over the whole union: another column's id is no record's address (count 0).
  const sum = others === null ? null : sumAddressCounts(counts, union.ids);
  if (others === null || sum === null) return null;
  const bounds = gridBounds(db);
  const parts = ID_COLUMNS.map((c) =>
    splitAtBound(columnBound(bounds, c), { sql: `${c} = ?`, params: [value] }, maxId),
  );
  const equal = db
    .prepare(parts.map((p) => `SELECT id FROM records WHERE ${p.sql}`).join(' UNION '))
    .pluck()
    .all(...parts.flatMap((p) => p.params)) as number[];
  const seen = new Set<number>();
  let n = 0;
  for (let k = 0; k < others.ids.length; k++) {
    if (seen.has(others.ids[k])) continue;
    seen.add(others.ids[k]);
    if (!inUnion(union, others.addresses[k])) n++;
  }
  const rest = equal.filter((id) => !seen.has(id));
  const addresses = rest.length === 0 ? [] : keptAddressesOf(db, MEMORY_CACHE_TABLE, coverage, rest);
  if (addresses === null) return null;
  for (const v of addresses) if (!inUnion(union, v)) n++;
  return sum + n;
}

/**
 * The count, or null when the counts are not restored here, do not hold the vocabulary's coverage,
 * the filter is not one (negated) word, or the word is not answered as an id set (the caller then
 * counts as before).
 */
export function keptWordCount(db: Database, filter: FilterModel): number | null {
  const counts = addressCounts(db);
  if (counts === null || Object.keys(filter).some((k) => k !== 'q' && k !== 'timeZone')) return null;
  const word = oneWord(filter);
  if (word === null) return null;
  return db.transaction(() => {
    const coverage = searchIndexCoverage(db);
    if (coverage === 0 || counts.upto !== coverage) return null;
    const kept = keptRecordsCount(db, counts, coverage, word.value);
    if (kept !== null) return word.negate ? negated(db, kept) : kept;
    // Set by the resolver's call below (undefined: the addresses were not looked up through it).
    const found: { sum?: number | null; vids?: ArrayLike<number> } = {};
    const resolver: TextResolver = {
      ...createResolver(
        db,
        MAX_RESOLVED_VALUES_AGGREGATE,
        MAX_CANDIDATES_IDS,
        (vids) => {
          // Ascending and distinct once, for the sum and for the other records' test below.
          const distinct = sortedDistinct(Uint32Array.from(vids));
          found.sum = sumAddressCounts(counts, distinct);
          found.vids = distinct;
          // No records from the map: the id set below is then the other columns' and the records above
          // the coverage (filter-contains.ts: the address branch's rest is `id > coverage AND LIKE`).
          return new Uint32Array(0);
        },
        wordTokens(db) ?? undefined,
      ),
      visitsAll: true,
    };
    const where = compileWhere({ q: word.text }, resolver);
    const { sum, vids } = found;
    if (where.ids === undefined || sum === undefined || sum === null || vids === undefined) return null;
    const others = otherRecords(db, where.ids, coverage, vids);
    if (others === null) return null;
    const count = sum + others;
    return word.negate ? negated(db, count) : count;
  })();
}

/** Every record less `count` (the summaries' total), or null when they do not answer. */
function negated(db: Database, count: number): number | null {
  const total = summaryCount(db, {});
  return total === null ? null : total - count;
}
