/**
 * Builds B-tree indexes over millions of rows on every core. SQLite's sorter hands full in-memory
 * runs to helper threads (PRAGMA threads) only when a run fills its budget (the cache size), so a
 * small budget with helpers sorts and merges in parallel while this thread reads the table. Measured
 * on 1M rows, 2 cores: 9 indexes 7.7 s with one helper and 40 MB, 3.9 s with two helpers and 2 MB;
 * memory stays a few MB per helper however many rows there are (runs spill to temp files).
 */
import { availableParallelism } from 'node:os';
import type { Database } from 'better-sqlite3';
import { setPragmas } from './pragmas';

/** Cache (KiB) while an index is sorted: the size of each sorted run. */
const SORT_RUN_KIB = 2048;

/**
 * Runs `build` (CREATE INDEX statements, sorting GROUP BYs) with the parallel-sort settings, then
 * restores the connection's own. Callers set `temp_store = FILE` beforehand (SQLite refuses to change
 * it inside a transaction), so the sorted runs go to temp files rather than RAM.
 */
export function withParallelSort<T>(db: Database, build: () => T): T {
  const restore = setPragmas(db, {
    threads: Math.max(1, Math.min(4, availableParallelism())),
    cache_size: -SORT_RUN_KIB,
  });
  try {
    return build();
  } finally {
    restore();
  }
}
