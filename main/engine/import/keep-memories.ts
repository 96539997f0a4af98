/**
 * The last phase of an import: the aggregate reader's memories (facts mirror, address map, senders
 * and sizes) of every record, written into the workspace as the copies memory-cache.ts keeps, so a
 * case is answered from memory as soon as it opens, and a reader already running takes them on its
 * next request (memory-refresh.ts).
 *
 * Why: until now the copies were written only by the reader, after it had loaded them in idle steps
 * (~3 s of CPU at 1M records, ~30 s at 5M). A person who imports and then searches back to back never
 * leaves the reader idle, and every search took the SQL path: at 1M rows `-jane` 2.9 s all four
 * together, `size>100000` 1.3 s (issue 12, the lead's fresh matrix).
 *
 * An append extends what is kept: the copies of the records before it are restored and only the new
 * records are read. The load runs on a read-only connection of its own, closed at the end, so the
 * writer (the app's writer thread) keeps none of these arrays. The copies are written in one
 * transaction, checked against the records generation (memory-cache.ts writeParts): a kill before or
 * during it leaves the previous copies, which a reader ignores once they no longer fit.
 */
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../db/open';
import { enableAddressMemory, stepAddressMemory } from '../query/address-memory';
import { enableFactsMemory, stepFactsMemory } from '../query/facts-memory';
import { keptParts, restoreMemories, writeParts } from '../query/memory-cache';
import { factsCoverage } from '../query/record-facts';
import { enableValuesMemory, stepValuesMemory } from '../query/values-memory';
import { isBusy } from './write-lock';

/** Page cache of the loading connection in KiB: its reads are single passes (worker/host.ts AGGREGATE_CACHE_KIB). */
const LOAD_CACHE_KIB = 8192;

export interface KeptOutcome {
  /** Whether copies were written (false: cancelled, nothing to keep, or another writer held the lock). */
  readonly written: boolean;
  /** Bytes of the copies written. */
  readonly bytes: number;
}

/**
 * Loads the memories of the workspace behind `db` (restoring the kept copies first) and keeps them.
 * Writes nothing when cancelled, when the workspace is in memory (nothing to open) or busy.
 */
export function keepMemories(db: Database, signal?: AbortSignal): KeptOutcome {
  if (db.memory || db.readonly) return { written: false, bytes: 0 };
  const r = openDatabase(db.name, { readonly: true });
  try {
    r.pragma(`cache_size = ${-LOAD_CACHE_KIB}`);
    enableFactsMemory(r);
    enableAddressMemory(r);
    enableValuesMemory(r);
    restoreMemories(r);
    const coverage = (): number => factsCoverage(r);
    while (stepFactsMemory(r, coverage) || stepAddressMemory(r) || stepValuesMemory(r, coverage))
      if (signal?.aborted === true) return { written: false, bytes: 0 };
    const parts = keptParts(r);
    if (parts === null) return { written: false, bytes: 0 };
    try {
      writeParts(db, parts.generation, parts.rows);
    } catch (err) {
      // Another import took the write lock right after this one: it keeps the copies when it ends.
      if (isBusy(err)) return { written: false, bytes: 0 };
      throw err;
    }
    return { written: true, bytes: parts.rows.reduce((n, [, , data]) => n + data.length, 0) };
  } finally {
    r.close();
  }
}
