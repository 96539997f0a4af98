/**
 * The last phase of an import: the aggregate reader's memories (facts mirror, address map, senders
 * and sizes) of every record, written into the workspace as the copies memory-cache.ts keeps, so a
 * case is answered from memory as soon as it opens, and a reader already running takes them on its
 * next request (memory-refresh.ts).
 *
 * Why: until now the copies were written only by the reader, after it had loaded them in idle steps
 * (~3 s of CPU at 1M records, ~30 s at 5M). A person who imports and then searches back to back never
 * leaves the reader idle, and every search took the SQL path (1M rows under load, the fresh matrix:
 * `-jane` all four together 8.1 s, `size>100000` 4.3 s; 145 and 103 ms from the kept copies).
 *
 * An append extends what is kept: the copies of the records before it are restored and only the new
 * records are read. One memory at a time, each on a read-only connection of its own that is closed
 * before the next, and written in chunks (memory-chunks.ts): the process holds about one memory's
 * arrays (5M records: ~50 MB; all three ~120 MB) and the writer (the app's writer thread) keeps none.
 * Measured under load at 5M, the phase alone: all three at once and whole blobs peak RSS 405 MB, one
 * at a time 281 MB. Each memory's copies are written in one transaction, checked
 * against the records generation (memory-cache.ts writeParts): a kill before or during it leaves
 * that memory's previous copies, which a reader ignores once they no longer fit.
 */
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../db/open';
import { enableAddressMemory, stepAddressMemory } from '../query/address-memory';
import { enableFactsMemory, stepFactsMemory } from '../query/facts-memory';
import { keptParts, restoreMemories, writeParts, type MemoryName } from '../query/memory-cache';
import { factsCoverage } from '../query/record-facts';
import { enableValuesMemory, stepValuesMemory } from '../query/values-memory';
import { keepWordTokenRows } from '../query/word-tokens-kept';
import { setPragmas } from '../db/pragmas';
import { isBusy } from './write-lock';

/** Page cache of the loading connection in KiB: its reads are single passes (worker/host.ts AGGREGATE_CACHE_KIB). */
const LOAD_CACHE_KIB = 8192;

/** How each memory is enabled on a connection and loaded by one step (true while more are left). */
const MEMORIES: readonly [MemoryName, (db: Database) => void, (db: Database) => boolean][] = [
  ['facts', enableFactsMemory, (db) => stepFactsMemory(db, () => factsCoverage(db))],
  ['address', enableAddressMemory, stepAddressMemory],
  ['values', enableValuesMemory, (db) => stepValuesMemory(db, () => factsCoverage(db))],
];

export interface KeptOutcome {
  /** The memories whose copies were written (fewer: cancelled, nothing to keep, or another writer). */
  readonly written: MemoryName[];
  /** Bytes of the copies written. */
  readonly bytes: number;
}

/**
 * Loads the memories of the workspace behind `db` (restoring the kept copies first) and keeps them.
 * Writes nothing more once cancelled or busy; nothing for a workspace in memory (nothing to open).
 */
export function keepMemories(db: Database, signal?: AbortSignal): KeptOutcome {
  const written: MemoryName[] = [];
  let total = 0;
  if (db.memory || db.readonly) return { written, bytes: total };
  // The writer's 64 MiB of cached pages are freed for the arrays; dirty blob pages spill to the WAL.
  const restore = setPragmas(db, { cache_size: -LOAD_CACHE_KIB });
  try {
    for (const [name, enable, step] of MEMORIES) {
      if (signal?.aborted === true) break;
      const bytes = keepOne(db, name, enable, step, signal);
      if (bytes === null) break;
      if (bytes > 0) written.push(name);
      total += bytes;
    }
    if (signal?.aborted !== true && written.length > 0) total += keepWordTokens(db) ?? 0;
  } finally {
    restore();
  }
  return { written, bytes: total };
}

/** One memory loaded and written: bytes written (0: nothing to keep), null when cancelled or busy. */
function keepOne(
  db: Database,
  name: MemoryName,
  enable: (db: Database) => void,
  step: (db: Database) => boolean,
  signal: AbortSignal | undefined,
): number | null {
  const r = openDatabase(db.name, { readonly: true });
  try {
    r.pragma(`cache_size = ${-LOAD_CACHE_KIB}`);
    enable(r);
    restoreMemories(r, name);
    while (step(r)) if (signal?.aborted === true) return null;
    const parts = keptParts(r);
    if (parts === null) return 0;
    try {
      writeParts(db, parts.generation, parts.rows);
    } catch (err) {
      // Another import took the write lock right after this one: it keeps the copies when it ends.
      if (isBusy(err)) return null;
      throw err;
    }
    return parts.rows.reduce((n, [, , data]) => n + data.length, 0);
  } finally {
    r.close();
  }
}

/**
 * The token dictionary of the vocabulary (word-tokens-kept.ts), built on a read-only connection of its
 * own after the memories are written and released, and written batch by batch as it is built (its
 * postings a window at a time): bytes written, null when busy. 5M rows, the phase on a copy of the
 * shared case with its kept copies deleted: peak RSS 197.5 MB without it, 225.6 MB with it (16a's
 * build, all postings at once: 355.7 MB alone).
 */
function keepWordTokens(db: Database): number | null {
  const r = openDatabase(db.name, { readonly: true });
  try {
    r.pragma(`cache_size = ${-LOAD_CACHE_KIB}`);
    return keepWordTokenRows(r, (generation, rows) => writeParts(db, generation, rows)) ?? 0;
  } catch (err) {
    if (isBusy(err)) return null;
    throw err;
  } finally {
    r.close();
  }
}
