/**
 * The workspace's write lock for an import. SQLite allows one writer: a second import of the same
 * workspace (another CLI process, or the app beside a CLI) waits its turn here, in short polls
 * that keep the event loop free, so it shows a `waiting` phase and can be cancelled meanwhile. The
 * running import is never touched. (Before this, BEGIN IMMEDIATE waited the connection's 5 s busy
 * timeout, failed with "database is locked" and left the already started parse worker running.)
 */
import type { Database } from 'better-sqlite3';
import { isBusy } from '../db/busy';
import { EngineError } from '../errors';
import type { ProgressReporter } from './progress';

/** How long one attempt may block the thread, and the pause between attempts. */
const TRY_MS = 50;
const POLL_MS = 200;

export { isBusy };

/**
 * Runs `write` with the connection's busy timeout set to `ms` (so a taken lock blocks the thread at
 * most that long); false when the lock stayed taken. Also used for settings (settings-write.ts).
 */
export function tryLocked(db: Database, ms: number, write: () => void): boolean {
  const previous = Number(db.pragma('busy_timeout', { simple: true }));
  db.pragma(`busy_timeout = ${ms}`);
  try {
    write();
    return true;
  } catch (err) {
    if (isBusy(err)) return false;
    throw err;
  } finally {
    db.pragma(`busy_timeout = ${previous}`);
  }
}

function tryBegin(db: Database): boolean {
  return tryLocked(db, TRY_MS, () => db.exec('BEGIN IMMEDIATE'));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `prepare` (connection settings, which SQLite ignores inside a transaction) and BEGIN
 * IMMEDIATE once no other import writes, in this process (same connection, mid-transaction) or
 * another; returns what `prepare` returned. Throws CANCELLED when the signal aborts while waiting.
 */
export async function beginImportWrite<T>(
  db: Database,
  signal: AbortSignal,
  progress: ProgressReporter,
  prepare: () => T,
  undo: (prepared: T) => void,
): Promise<T> {
  for (let waited = false; ; waited = true) {
    if (signal.aborted)
      throw new EngineError('CANCELLED', 'Cancelled while waiting for another import of this workspace.');
    if (!db.inTransaction) {
      const prepared = prepare();
      if (tryBegin(db)) {
        // The rate shown for the rows phase counts from here, not from when the wait began.
        if (waited) progress.restart();
        return prepared;
      }
      undo(prepared);
    }
    progress.report('waiting', 0, 0);
    await sleep(POLL_MS);
  }
}
