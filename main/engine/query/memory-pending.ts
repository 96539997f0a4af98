/**
 * A restore of the kept copies still in progress on a connection (memory-stages.ts), as the memories
 * see it: whatever reads a memory (a request's id set, a load step, a copy to keep) first has that
 * memory's restore finished, within its own read transaction; whatever reads none goes on without
 * waiting. A module of its own so the memories can call it without importing the restore (which
 * imports them).
 */
import type { Database } from 'better-sqlite3';

/** The three memories, each kept as parts named `<memory>.<array>`. */
export type MemoryName = 'facts' | 'address' | 'values';

/** Finishes the restore of one memory at once (no-op when it is done, failed or not kept). */
type Settle = (name: MemoryName) => void;

const pending = new WeakMap<Database, Settle>();

export function setPendingRestore(db: Database, settle: Settle | null): void {
  if (settle === null) pending.delete(db);
  else pending.set(db, settle);
}

export function restorePending(db: Database): boolean {
  return pending.has(db);
}

/** Called first by every reader of memory `name` on `db`. */
export function settleMemory(db: Database, name: MemoryName): void {
  pending.get(db)?.(name);
}
