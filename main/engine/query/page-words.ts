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

/** Per connection: the generation and coverage a restore was last tried for. */
const tried = new WeakMap<Database, string>();

/** The kept address map's coverage for this generation (one small read, no blob), or null. */
function keptAddressUpto(db: Database, generation: string): number | null {
  if (!hasKeptTable(db)) return null;
  const upto = db
    .prepare(`SELECT upto FROM ${MEMORY_CACHE_TABLE} WHERE generation = ? AND name = 'address.vid'`)
    .pluck()
    .get(generation) as number | undefined;
  return upto ?? null;
}

function hasWord(filter: FilterModel): boolean {
  const q = typeof filter === 'object' && filter !== null ? filter.q : undefined;
  if (typeof q !== 'string' || q.trim() === '') return false;
  const parsed = tryParseSearch(q, filter.timeZone === undefined ? {} : { timeZone: filter.timeZone });
  return parsed.ok && parsed.terms.some((t) => t.kind === 'text');
}

/**
 * Takes the kept address map on a page reader about to find the set of a search with a free word,
 * once per generation and coverage (a stale or missing copy is not read again for every page).
 */
export function takeKeptAddresses(db: Database, filter: FilterModel): void {
  if (!columnCodesEnabled(db) || !hasWord(filter)) return;
  db.transaction(() => {
    if (addressMapReady(db)) return;
    const generation = recordsGeneration(db);
    const coverage = searchIndexCoverage(db);
    // Only a copy covering exactly what the vocabulary covers serves (addressMapReady): a copy behind
    // it (an append since it was kept) is not read at all.
    if (coverage === 0 || keptAddressUpto(db, generation) !== coverage) return;
    const key = `${generation}:${coverage}`;
    if (tried.get(db) === key) return;
    tried.set(db, key);
    enableAddressMemory(db);
    try {
      restoreMemories(db, 'address');
    } catch {
      // An unreadable copy leaves the SQL path, as a missing one does.
    }
  })();
}
