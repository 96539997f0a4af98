import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { EngineError } from '../errors';
import { isBusy } from './busy';
import { migrate } from './migrations';

/** Oldest SQLite we accept: earlier releases have known WAL and FTS5 bugs fixed by 3.51.3. */
export const MIN_SQLITE_VERSION = '3.51.3';

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Page size of new workspaces. */
export const PAGE_SIZE = 16384;

export interface OpenOptions {
  readonly readonly?: boolean;
  /** How long the writer's setup waits for another program's lock (default 5 s, as busy_timeout). */
  readonly lockedWaitMs?: number;
}

/**
 * Opens a workspace database in WAL mode (one writer, readers beside it) and migrates it.
 * Read-only connections skip migration; the writer opens first and owns the schema.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Database {
  const db = new BetterSqlite3(file, {
    readonly: options.readonly === true,
    fileMustExist: options.readonly === true,
  });
  const version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  if (compareVersions(version, MIN_SQLITE_VERSION) < 0) {
    db.close();
    throw new Error(`SQLite ${version} is too old; ${MIN_SQLITE_VERSION} or newer is required`);
  }
  db.pragma('busy_timeout = 5000');
  // Workspaces come from outside (drop, OS open, command line): functions with side effects must not
  // run from a view, trigger or index expression that a crafted file brings along, on every connection.
  db.pragma('trusted_schema = OFF');
  if (!options.readonly) prepareWriter(db, file, options.lockedWaitMs ?? LOCKED_WAIT_MS);
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  return db;
}

/** How long the writer's setup waits for another program's lock, as the busy timeout would. */
const LOCKED_WAIT_MS = 5000;
const LOCKED_POLL_MS = 50;

/**
 * WAL mode, settings and migrations; every step may run again. SQLite does not wait (busy timeout)
 * for the lock upgrade that switching a file to WAL needs: a new or rollback-mode file that another
 * program is writing to failed at once with "database is locked" (an e2e test's own connection did
 * that to the app's new workspace). So the setup is retried for as long as the busy timeout would
 * wait, then fails with a message that says what to do.
 */
function prepareWriter(db: Database, file: string, waitMs: number): void {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      // Only a new, empty file takes a page size (WAL fixes it once written). 16 KiB pages made the
      // 1M-row import ~10 % faster than 4 KiB (fewer page writes and index levels) at equal query speed.
      if ((db.pragma('page_count', { simple: true }) as number) === 0) db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
      return;
    } catch (err) {
      if (!isBusy(err) || Date.now() >= deadline) {
        db.close();
        if (!isBusy(err)) throw err;
        throw new EngineError(
          'ENGINE_UNAVAILABLE',
          `The workspace ${path.basename(file)} is locked by another program writing to it. ` +
            'Close that program (or let its import finish), then open the workspace again.',
          { file },
        );
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, LOCKED_POLL_MS);
    }
  }
}
