/**
 * The aggregate reader takes newer kept copies (memory-cache.ts) while it runs, not only when it
 * opens: an import now leaves the copies of its records in the workspace (import/keep-memories.ts),
 * and a reader that started before it would otherwise load the new records in idle steps, seconds at
 * 1M rows, while the searches sent meanwhile take the SQL path (`-jane` all four together ~2.9 s).
 *
 * Checked before each count, facets or histogram: one small read of the kept parts' bounds (no
 * blobs). A copy is taken only when it holds more than a load step's worth of records beyond what
 * this reader holds; a small append is loaded on within the request as before (restoring 5M records'
 * copies costs ~1.4 s, loading 20 000 of them ~15 ms).
 */
import type { Database } from 'better-sqlite3';
import { MIRROR_CHUNK } from './facts-memory';
import { hasKeptTable, keptBounds, MEMORY_CACHE_TABLE, restoreMemories } from './memory-cache';
import { restorePending } from './memory-pending';
import { recordsGeneration } from './records-generation';

/** The kept parts' bounds this connection last looked at, so a copy that cannot be taken is tried once. */
const tried = new WeakMap<Database, string>();

function cacheBounds(db: Database, generation: string): Map<string, number> {
  if (!hasKeptTable(db)) return new Map();
  const rows = db
    .prepare(
      `SELECT name, upto FROM ${MEMORY_CACHE_TABLE}
       WHERE generation = ? AND name IN ('facts.t', 'address.vid', 'values.size')`,
    )
    .raw()
    .all(generation) as [string, number][];
  return new Map(rows);
}

/**
 * Restores the kept copies when they are well ahead of this reader's (an import ended since it
 * restored or wrote them). True when it restored. Only a speed-up: a failure leaves the load steps.
 */
export function refreshMemories(db: Database): boolean {
  // The restore at open is still reading these copies (memory-stages.ts); once it is done this check
  // sees what it took.
  if (restorePending(db)) return false;
  try {
    return db.transaction(() => {
      const generation = recordsGeneration(db);
      const cache = cacheBounds(db, generation);
      if (cache.size === 0) return false;
      const held = keptBounds(db);
      const same = held !== null && held.generation === generation;
      const ahead = (name: string, have: number): boolean =>
        (cache.get(name) ?? 0) - (same ? have : 0) > MIRROR_CHUNK;
      if (
        !ahead('facts.t', held?.facts ?? 0) &&
        !ahead('address.vid', held?.address ?? 0) &&
        !ahead('values.size', held?.values ?? 0)
      )
        return false;
      const signature = [generation, ...cache.entries()].join(';');
      if (tried.get(db) === signature) return false;
      tried.set(db, signature);
      restoreMemories(db);
      return true;
    })();
  } catch {
    return false;
  }
}
