/**
 * The address map's pass (address-pass.ts) over the kept map's chunks (`address.vid`, `address.vid#1`,
 * ... in memory_kept) as they are read, for a connection that answers one search and closes (the CLI's
 * facets of free words, cli/kept-memories.ts): the map is not restored into one array first.
 *
 * Why: restoring the map reads its 20 MB of blobs (5M records) and copies them into one joined array,
 * and the copy's fresh pages cost about as much as the reads. Measured at 5M rows on a copy of the
 * shared case under load (~5-8 on 2 cores), `jane`'s 339 568 address ids, 5 alternating runs, restore
 * and pass against the pass over each chunk as read: 114-282 (median 150) -> 68-172 (median 92) ms.
 *
 * Exact as the map: only a copy of this records generation holding exactly the vocabulary's coverage,
 * every chunk there at its full length, is read; otherwise the term's addresses are left to LIKE
 * (filter-contains.ts), as without a map.
 */
import type { Database } from 'better-sqlite3';
import { keptMapChunks, keptMapFits } from './address-counts';
import { AddressHits, addressTest } from './address-pass';
import { hasKeptTable, MEMORY_CACHE_TABLE } from './memory-cache';
import { CHUNK_BYTES } from './memory-chunks';
import { recordsGeneration } from './records-generation';
import type { AddressIds } from './resolver';
import { searchIndexCoverage } from './search-index';

/** Map entries (one per record id from 0) per chunk. */
const PER_CHUNK = CHUNK_BYTES / 4;

const taken = new WeakSet<Database>();

/** Whether the kept map of this generation holds exactly `upto` (ids 0..upto), every chunk whole. */
function keptMapFitsHere(db: Database, generation: string, upto: number): boolean {
  return upto > 0 && keptMapFits(db, MEMORY_CACHE_TABLE, generation, upto);
}

/**
 * Lets this connection's id sets read the kept map's chunks (keptAddressPass) when it fits the
 * vocabulary now; true when taken (the caller then need not restore the map).
 */
export function takeKeptAddressPass(db: Database): boolean {
  taken.delete(db);
  const fits = db.transaction(
    () => hasKeptTable(db) && keptMapFitsHere(db, recordsGeneration(db), searchIndexCoverage(db)),
  )();
  if (fits) taken.add(db);
  return fits;
}

/**
 * The records 1..coverage with one of a term's address ids, from the kept map's chunks, for a
 * connection that took them; undefined otherwise. Its answer is null when the copy no longer fits
 * (call inside the caller's read transaction).
 */
export function keptAddressPass(db: Database, coverage: number): AddressIds | undefined {
  if (!taken.has(db)) return undefined;
  return (vids) => {
    const generation = recordsGeneration(db);
    if (!keptMapFitsHere(db, generation, coverage)) return null;
    return recordsOfChunks(keptMapChunks(db, MEMORY_CACHE_TABLE, generation), coverage, PER_CHUNK, vids);
  };
}

/**
 * recordsOfAddresses (address-pass.ts) over a map of ids 0..upto held in chunks of `perChunk` entries
 * (chunk k: ids k * perChunk ..), read one at a time by `chunkOf`; null when one is missing or short.
 */
export function recordsOfChunks(
  chunkOf: (k: number) => Uint32Array | null,
  upto: number,
  perChunk: number,
  vids: readonly number[] | Uint32Array,
): Uint32Array | null {
  const t = addressTest(vids);
  if (t === null) return new Uint32Array(0);
  const hits = new AddressHits();
  for (let k = 0; k * perChunk <= upto; k++) {
    const vid = chunkOf(k);
    const end = Math.min(perChunk, upto + 1 - k * perChunk);
    if (vid === null || vid.length < end) return null;
    hits.scan(vid, k === 0 ? 1 : 0, end, k * perChunk, t);
  }
  return hits.join();
}
