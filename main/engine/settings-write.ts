/**
 * Settings writes that never hold up the writer. The writer thread answers its channels one after
 * another, and a settings write waited the connection's 5 s busy timeout whenever another process (a
 * CLI import of the same workspace) held the write lock: the import the user had just started queued
 * behind it, so its "waiting for another import" notice came 5 s late, and the setting was lost when
 * the write then failed with "database is locked". Now a write that finds the lock taken (or this
 * connection inside its own import's transaction, which a cancel would roll back) is kept and retried
 * every RETRY_MS until it lands; a newer value of the same key replaces a kept one.
 */
import type { Database } from 'better-sqlite3';
import { tryLocked } from './import/write-lock';
import { setSetting } from './workspace';

const RETRY_MS = 250;
/** How long one attempt may block the writer thread. */
const TRY_MS = 20;

interface Pending {
  readonly values: Map<string, string>;
  timer: ReturnType<typeof setTimeout> | null;
}

const pendingByDb = new WeakMap<Database, Pending>();

function tryWrite(db: Database, key: string, value: string): boolean {
  return !db.inTransaction && tryLocked(db, TRY_MS, () => setSetting(db, key, value));
}

function flush(db: Database, pending: Pending): void {
  pending.timer = null;
  if (!db.open) return;
  for (const [key, value] of pending.values) {
    if (!tryWrite(db, key, value)) break;
    pending.values.delete(key);
  }
  if (pending.values.size > 0) {
    pending.timer = setTimeout(() => flush(db, pending), RETRY_MS);
    // A kept setting alone does not keep the thread (or the CLI) alive.
    pending.timer.unref?.();
  }
}

/** Saves a setting now if the write lock is free, else as soon as it is. */
export function saveSetting(db: Database, key: string, value: string): void {
  let pending = pendingByDb.get(db);
  if (!pending) {
    pending = { values: new Map(), timer: null };
    pendingByDb.set(db, pending);
  }
  pending.values.delete(key);
  pending.values.set(key, value);
  if (pending.timer === null) flush(db, pending);
}

/** Settings saved but not written yet (the lock was taken), for the connection's own reads. */
export function keptSetting(db: Database, key: string): string | undefined {
  return pendingByDb.get(db)?.values.get(key);
}
