/**
 * Removing an import: its records and rejected rows are deleted, and its history entry stays with
 * the reason ("Removed: …"), so the history still says what was there. A re-import of the same file
 * in another time zone replaces an import the same way inside its own transaction (load.ts), so the
 * old rows go only if the new ones commit.
 *
 * Derived data is kept exact: the hourly summary is emptied (summary.ts: whatever deletes records
 * must) and the substring vocabulary is cleared, so no value of a deleted record is found or offered
 * as a typo hint; both are rebuilt by updateSearchIndex after the commit (answers meanwhile come from
 * `records`, slower but the same).
 */
import type { Database } from 'better-sqlite3';
import type { ImportHistoryEntry } from '../../../common/contract';
import { EngineError } from '../errors';
import { invalidateSummary } from '../query/summary';
import { bumpRecordsGeneration } from '../query/records-generation';
import { SEARCH_INDEX_UPTO_KEY, updateSearchIndex } from '../query/search-index';
import { ProgressReporter } from './progress';
import { markSearchIndexStale } from './store';
import { beginImportWrite } from './write-lock';

/**
 * Kept as a cancelled import (the imports table allows no other status without a migration): every
 * "finished imports" question (identical files, size estimates, the workspace's import count) then
 * leaves it out. listImports reports it as 'removed'.
 */
export const REMOVED_PREFIX = 'Removed: ';

export function isRemoved(status: string, error: string | null): boolean {
  return status === 'cancelled' && error !== null && error.startsWith(REMOVED_PREFIX);
}

/** The history's status of an imports row. */
export function historyStatus(
  status: ImportHistoryEntry['status'],
  error: string | null,
): ImportHistoryEntry['status'] {
  return isRemoved(status, error) ? 'removed' : status;
}

/**
 * Deletes import `importId`'s rows inside the caller's write transaction; returns how many records
 * went. `reason` ends up in the history after REMOVED_PREFIX.
 */
export function removeImportRows(
  db: Database,
  importId: number,
  reason: (records: number) => string,
): number {
  if (!db.inTransaction) throw new EngineError('INTERNAL', 'removing an import needs a write transaction');
  const row = db.prepare('SELECT status, error FROM imports WHERE id = ?').get(importId) as
    { status: string; error: string | null } | undefined;
  if (row === undefined)
    throw new EngineError('NOT_FOUND', `There is no import #${importId} in this workspace.`);
  if (row.status !== 'done')
    // NOT_FOUND: there are no records of it to remove (the CLI exits 1, not with a usage error).
    throw new EngineError(
      'NOT_FOUND',
      isRemoved(row.status, row.error)
        ? `Import #${importId} was removed already.`
        : `Import #${importId} stored no records (it ${row.status === 'running' ? 'is still running' : row.status === 'failed' ? 'failed' : 'was cancelled'}).`,
      { importId },
    );
  const records = db.prepare('DELETE FROM records WHERE import_id = ?').run(importId).changes;
  // The readers' cached counts and id sets go with it, even where max(id) stays (records-generation.ts).
  bumpRecordsGeneration(db);
  db.prepare('DELETE FROM rejected_rows WHERE import_id = ?').run(importId);
  db.prepare(
    `UPDATE imports SET status = 'cancelled', content_hash = '', rows_rejected = 0, error = ? WHERE id = ?`,
  ).run(`${REMOVED_PREFIX}${reason(records)}`, importId);
  invalidateSummary(db);
  db.exec("DELETE FROM search_vocab; INSERT INTO search_vocab_fts(search_vocab_fts) VALUES ('delete-all');");
  db.prepare("INSERT INTO meta(key, value) VALUES (?, '0') ON CONFLICT(key) DO UPDATE SET value = '0'").run(
    SEARCH_INDEX_UPTO_KEY,
  );
  markSearchIndexStale(db);
  return records;
}

export interface RemoveResult {
  readonly importId: number;
  readonly records: number;
}

/**
 * Removes one import in a transaction of its own, after any running import of the workspace (one
 * writer), then rebuilds the search vocabulary and summary.
 */
export async function removeImport(
  db: Database,
  importId: number,
  signal: AbortSignal,
): Promise<RemoveResult> {
  const progress = new ProgressReporter(() => undefined, {
    jobId: 'remove-import',
    file: '',
    fileIndex: 0,
    fileCount: 1,
    totalBytes: 0,
  });
  await beginImportWrite(
    db,
    signal,
    progress,
    () => undefined,
    () => undefined,
  );
  let records: number;
  try {
    const when = new Date().toISOString().replace('T', ' ').slice(0, 16);
    records = removeImportRows(
      db,
      importId,
      (n) => `${n.toLocaleString('en')} ${n === 1 ? 'record' : 'records'} deleted on ${when} UTC`,
    );
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
  updateSearchIndex(db, signal);
  return { importId, records };
}
