/** The import history (finished, failed and cancelled imports) and the rejected rows of one import. */
import type { Database } from 'better-sqlite3';
import type { ImportHistoryEntry, RejectedRow } from '../../../common/contract';
import { historyStatus, isRemoved, REMOVED_PREFIX } from './remove';

interface ImportRow {
  id: number;
  file_name: string;
  file_size: number;
  encoding: string;
  delimiter: string;
  timezone_assumed: string;
  started_at: number;
  finished_at: number | null;
  rows_imported: number;
  rows_duplicate: number;
  rows_rejected: number;
  status: ImportHistoryEntry['status'];
  error: string | null;
}

/** Newest first. */
export function listImports(db: Database): ImportHistoryEntry[] {
  const rows = db
    .prepare(
      `SELECT id, file_name, file_size, encoding, delimiter, timezone_assumed, started_at, finished_at,
              rows_imported, rows_duplicate, rows_rejected, status, error
       FROM imports ORDER BY id DESC`,
    )
    .all() as ImportRow[];
  return rows.map((r) => ({
    id: r.id,
    fileName: r.file_name,
    fileSize: r.file_size,
    encoding: r.encoding,
    delimiter: r.delimiter,
    timezoneAssumed: r.timezone_assumed,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    imported: r.rows_imported,
    duplicates: r.rows_duplicate,
    rejected: r.rows_rejected,
    status: historyStatus(r.status, r.error),
    error: r.error !== null && isRemoved(r.status, r.error) ? r.error.slice(REMOVED_PREFIX.length) : r.error,
  }));
}

export interface StoppedImport {
  readonly file: string;
  readonly fileName: string;
  readonly fileSize: number;
  readonly startedAt: number;
  readonly status: 'failed' | 'cancelled';
  readonly error: string;
  readonly encoding?: string;
  readonly delimiter?: string;
}

/**
 * Records a failed or cancelled file in the history, after its rows were rolled back, in a small
 * transaction of its own. Best effort: skipped when this connection is inside another import's
 * transaction, or when another process holds the write lock for longer than a moment (the import's
 * result reports the failure either way).
 */
export function recordStoppedImport(db: Database, s: StoppedImport): boolean {
  if (db.inTransaction) return false;
  const previous = Number(db.pragma('busy_timeout', { simple: true }));
  db.pragma('busy_timeout = 500');
  try {
    db.prepare(
      `INSERT INTO imports (file_name, file_path, file_size, content_hash, encoding, delimiter, header_mapping,
         timezone_assumed, started_at, finished_at, status, error)
       VALUES (?, ?, ?, '', ?, ?, '[]', '', ?, ?, ?, ?)`,
    ).run(
      s.fileName,
      s.file,
      s.fileSize,
      s.encoding ?? '',
      s.delimiter ?? '',
      s.startedAt,
      Date.now(),
      s.status,
      s.error,
    );
    return true;
  } catch {
    return false;
  } finally {
    db.pragma(`busy_timeout = ${previous}`);
  }
}

/** Rejected rows of one import in line order, one page at a time. */
export function listRejected(
  db: Database,
  importId: number,
  offset: number,
  limit: number,
): { total: number; rows: RejectedRow[] } {
  const total = (
    db.prepare('SELECT count(*) AS n FROM rejected_rows WHERE import_id = ?').get(importId) as { n: number }
  ).n;
  const rows = db
    .prepare(
      `SELECT line, column_name AS "column", reason, raw FROM rejected_rows
       WHERE import_id = ? ORDER BY line, id LIMIT ? OFFSET ?`,
    )
    .all(importId, limit, offset) as RejectedRow[];
  return { total, rows };
}
