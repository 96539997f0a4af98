/** The import history and the rejected rows of one import, for the UI and the CLI. */
import type { Database } from 'better-sqlite3';
import type { ImportHistoryEntry, RejectedRow } from '../../../common/contract';

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
}

/** Newest first. */
export function listImports(db: Database): ImportHistoryEntry[] {
  const rows = db
    .prepare(
      `SELECT id, file_name, file_size, encoding, delimiter, timezone_assumed, started_at, finished_at,
              rows_imported, rows_duplicate, rows_rejected, status
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
    status: r.status,
  }));
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
