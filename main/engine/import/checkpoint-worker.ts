/**
 * Copies a finished import from the WAL into the database file on the second core while the
 * importing thread builds the search index (see checkpoint.ts). PASSIVE: it never blocks the writer
 * or readers, and does only what it can.
 */
import BetterSqlite3 from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const port = parentPort;
if (port) {
  let ok = false;
  try {
    const db = new BetterSqlite3(workerData as string, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 1000');
      db.pragma('wal_checkpoint(PASSIVE)');
      ok = true;
    } finally {
      db.close();
    }
  } catch {
    // Best effort: the writer's own automatic checkpoint does the work later.
  }
  port.postMessage(ok);
}
