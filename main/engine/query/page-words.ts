/**
 * The page reader takes the aggregate reader's kept address map (memory-cache.ts, `memory_kept`)
 * before it finds a free word's id set itself: the map is each record's address as a vocabulary id,
 * so the word's addresses are a loop over it (match-ids.ts, through the resolver) instead of a LIKE
 * over every entry of records_to.
 *
 * Why: with no set from the aggregate reader (the bench's page reader without shared sets; the app
 * when the aggregate reader has none to give), `jane` at 5M rows (416k matches, 340k addresses) was
 * found by that LIKE, 0.9-1.4 s before the first page of every status sort and every deeper page of
 * the other sorts (bench query section, eleventh session).
 *
 * Memory: the map is 4 bytes a record (20 MB at 5M), taken once per connection and records
 * generation, only by a page reader (value codes enabled) and only for a search with a free word;
 * a kept copy is read only when it covers exactly what the vocabulary covers.
 * Exact as the aggregate reader is: a kept copy of another generation, or one not covering exactly
 * what the vocabulary covers now (an append since), is not used (address-memory.ts addressMapReady),
 * and the word is then found by SQL as before.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { tryParseSearch } from '../../../common/search-syntax';
import { addressMapReady, enableAddressMemory } from './address-memory';
import { columnCodesEnabled } from './column-codes';
import { hasKeptTable, MEMORY_CACHE_TABLE, restoreMemories } from './memory-cache';
import { recordsGeneration } from './records-generation';
import { searchIndexCoverage } from './search-index';
import { isTokenWord } from './word-tokens';
import { restoreWordTokens, tokensFit, wordTokens, WORDS_HEAD, type KeptTokens } from './word-tokens-kept';

/** Per connection: the generation and coverage a restore was last tried for. */
const tried = new WeakMap<Database, string>();

/** A kept part's coverage for this generation (one small read, no blob), or null. */
function keptUpto(db: Database, generation: string, name: string): number | null {
  if (!hasKeptTable(db)) return null;
  const upto = db
    .prepare(`SELECT upto FROM ${MEMORY_CACHE_TABLE} WHERE generation = ? AND name = ?`)
    .pluck()
    .get(generation, name) as number | undefined;
  return upto ?? null;
}

/** The search's free words (negated ones too), as typed. */
function freeWords(filter: FilterModel): string[] {
  const q = typeof filter === 'object' && filter !== null ? filter.q : undefined;
  if (typeof q !== 'string' || q.trim() === '') return [];
  const parsed = tryParseSearch(q, filter.timeZone === undefined ? {} : { timeZone: filter.timeZone });
  return parsed.ok ? parsed.terms.flatMap((t) => (t.kind === 'text' ? [t.value] : [])) : [];
}

/** Connections that take the dictionary for their own word sets: the aggregate reader (worker/entry.ts). */
const tokensWanted = new WeakSet<Database>();

/**
 * Lets `db`, a reader with its own address map (restored or loaded, memory-stages.ts), take the kept
 * dictionary for the word sets it finds, as a page reader does.
 *
 * Why: the aggregate reader found `jane`'s set (5M rows) by the trigram statement, 212-409 ms of CPU
 * against 104-204 with the dictionary (copy of the 5M case, in-process, five alternating runs under
 * load). In the warm matrix (bench/matrix.ts, through the host) `jane`'s count is that set: its
 * thread's CPU 296-411 ms before, 123-218 after; all four together 943-1238 -> 463-821 ms (two
 * alternating runs each, machine at load 7-8). The restore reads 3.2 MB once (~25 ms).
 */
export function wantWordTokens(db: Database): void {
  tokensWanted.add(db);
}

/**
 * Takes the kept address map on a page reader about to find the set of a search with a free word,
 * once per generation and coverage (a stale or missing copy is not read again for every page); and
 * the kept dictionary there and on a connection that wants it (wantWordTokens).
 */
export function takeKeptAddresses(db: Database, filter: FilterModel): void {
  const page = columnCodesEnabled(db);
  if (!page && !tokensWanted.has(db)) return;
  const words = freeWords(filter);
  if (words.length === 0) return;
  db.transaction(() => {
    // The aggregate reader restores and loads its own map (memory-stages.ts, idle-loop.ts).
    if (page) takeAddressMap(db);
    if (words.some(isTokenWord)) takeWordTokens(db);
  })();
}

/** The kept address map, when it covers exactly what the vocabulary covers (see above). */
function takeAddressMap(db: Database): void {
  if (addressMapReady(db)) return;
  const generation = recordsGeneration(db);
  const coverage = searchIndexCoverage(db);
  // Only a copy covering exactly what the vocabulary covers serves (addressMapReady): a copy behind
  // it (an append since it was kept) is not read at all.
  if (coverage === 0 || keptUpto(db, generation, 'address.vid') !== coverage) return;
  const key = `${generation}:${coverage}`;
  if (tried.get(db) === key) return;
  tried.set(db, key);
  enableAddressMemory(db);
  try {
    restoreMemories(db, 'address');
  } catch {
    // An unreadable copy leaves the SQL path, as a missing one does.
  }
}

/** Connections told not to use the dictionary (useWordTokens). */
const tokensOff = new WeakSet<Database>();

/** Whether the page reader may use the dictionary (tests and timings of both paths on one connection). */
export function useWordTokens(db: Database, on: boolean): void {
  if (on) tokensOff.delete(db);
  else tokensOff.add(db);
}

/** Per connection: the dictionary restored here, with the generation and coverage it was tried for. */
const tokensTried = new WeakMap<Database, { readonly key: string; readonly tokens: KeptTokens | null }>();

/**
 * The kept token dictionary (word-tokens-kept.ts), restored once per generation and coverage, only
 * with the address map ready (the resolver answers from it only beside the map) and only for a
 * search with a word it answers.
 *
 * Why: on a page reader with no set from the aggregate reader (the CLI's and the bench's bare
 * connection), every deeper page under `jane` at 5M rows found the word's set again, and the
 * trigram statement was ~55% of those pages' CPU (copy of the 5M case, 18 deep pages by six
 * columns: 5.9 of 11.9 s under load). With the dictionary the set alone took 83-99 ms of CPU
 * against 189-200 (best-median, six alternating runs); the restore costs ~100 ms once per
 * generation (3.2 MB of text and offsets; the postings rows a word needs are read on first use).
 */
function takeWordTokens(db: Database): void {
  if (!addressMapReady(db)) return;
  const generation = recordsGeneration(db);
  const coverage = searchIndexCoverage(db);
  // Parts of this generation at this coverage, else nothing is read (and a later keep is taken).
  if (keptUpto(db, generation, WORDS_HEAD) !== coverage) return;
  const key = `${generation}:${coverage}`;
  if (tokensTried.get(db)?.key === key) return;
  let tokens: KeptTokens | null = null;
  try {
    if (restoreWordTokens(db, MEMORY_CACHE_TABLE, coverage)) tokens = wordTokens(db);
  } catch {
    // Unreadable parts leave the trigram statement, as missing ones do.
  }
  tokensTried.set(db, { key, tokens });
}

/**
 * The dictionary restored by takeWordTokens when it still describes the vocabulary: restored for
 * this records generation (a removal rebuilds the vocabulary under the same largest id and
 * coverage) and this coverage and largest vocabulary id (an append). Else undefined: the statement.
 * Call inside the caller's read transaction.
 */
export function pageWordTokens(db: Database): KeptTokens | undefined {
  if (tokensOff.has(db)) return undefined;
  const held = tokensTried.get(db);
  if (held === undefined || held.tokens === null) return undefined;
  const coverage = searchIndexCoverage(db);
  if (held.key !== `${recordsGeneration(db)}:${coverage}`) return undefined;
  return tokensFit(db, held.tokens, coverage) ? held.tokens : undefined;
}

/**
 * The dictionary for this connection's resolver: on a page reader that restored it here, only as
 * pageWordTokens allows (its generation check and its switch); elsewhere the one the CLI restored for a
 * single command (cli/kept-memories.ts), which lives no longer than that command's read.
 */
export function connectionWordTokens(db: Database): KeptTokens | undefined {
  if (tokensOff.has(db) || tokensTried.has(db)) return pageWordTokens(db);
  return wordTokens(db) ?? undefined;
}
