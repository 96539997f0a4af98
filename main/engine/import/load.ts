/**
 * One file, one transaction. The parse worker feeds batches; this thread inserts them, rebuilds the
 * B-tree indexes if it dropped them, records the import and commits. Yields to the event loop after
 * every batch so cancel messages (and the host's other traffic) are handled.
 */
import type { Database } from 'better-sqlite3';
import type { RowError } from '../../../common/contract';
import { withParallelSort } from '../db/index-build';
import { RECORD_INDEXES } from '../db/migrations';
import { setPragmas } from '../db/pragmas';
import { EngineError } from '../errors';
import { ParseFeed } from './feed';
import type { HeaderMapping } from './headers';
import type { ProgressReporter } from './progress';
import type { Sniffed } from './sniff';
import {
  dropRecordIndexesIfEmpty,
  insertImportRow,
  markSearchIndexStale,
  rebuildRowKeyIndex,
  RecordStore,
  reserveImportId,
  type ImportRowInit,
} from './store';

/** How many rejected rows the result lists; all of them are stored. */
export const MAX_LISTED_ERRORS = 100;

export interface LoadInput {
  readonly file: string;
  readonly fileName: string;
  readonly size: number;
  readonly sniffed: Sniffed;
  readonly mapping: HeaderMapping;
  readonly strict: boolean;
  readonly signal: AbortSignal;
  readonly progress: ProgressReporter;
  /** Zone of zone-less times (IANA name or 'UTC'); undefined = UTC. */
  readonly timeZone?: string | undefined;
}

export type LoadOutcome =
  | {
      readonly importId: number;
      readonly imported: number;
      readonly duplicates: number;
      readonly rejected: number;
      readonly errors: readonly RowError[];
      readonly timezoneAssumed: string;
    }
  | 'encoding';

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function checkCancel(signal: AbortSignal): void {
  if (signal.aborted) throw new EngineError('CANCELLED', 'Import cancelled');
}

/** Settings that speed up a bulk load; the returned function restores the connection's own. */
function tune(db: Database): () => void {
  return setPragmas(db, {
    // import_id is set by this code, so the per-row foreign key lookup is pure overhead.
    foreign_keys: 'OFF',
    // Checkpointing a WAL of the whole file inside COMMIT would delay grid-ready; it happens on the next write.
    wal_autocheckpoint: 0,
    // Index sorts of millions of rows spill to temp files instead of growing memory.
    temp_store: 'FILE',
    cache_size: -65536,
  });
}

export async function loadFile(db: Database, input: LoadInput): Promise<LoadOutcome> {
  const { sniffed, mapping, signal, progress } = input;
  checkCancel(signal);
  if (db.inTransaction) throw new EngineError('INTERNAL', 'another write is in progress');
  const restore = tune(db);
  const feed = new ParseFeed({
    path: input.file,
    encoding: sniffed.encoding,
    strict: input.strict,
    delimiter: sniffed.delimiter,
    columns: mapping.columns,
    headers: mapping.headers,
    skipLines: sniffed.skipLines,
    ...(input.timeZone === undefined ? {} : { timeZone: input.timeZone }),
  });
  db.exec('BEGIN IMMEDIATE');
  try {
    const importId = reserveImportId(db);
    const importRow: ImportRowInit = {
      fileName: input.fileName,
      filePath: input.file,
      fileSize: input.size,
      encoding: sniffed.encoding,
      delimiter: sniffed.delimiter,
      headerMapping: JSON.stringify(
        mapping.headers.map((header, i) => ({ header, column: mapping.columns[i] ?? null })),
      ),
      startedAt: Date.now(),
    };
    const dropped = dropRecordIndexesIfEmpty(db);
    // Appending to an index-free table needs few cached pages; the memory is the parse worker's meanwhile.
    if (dropped) db.pragma('cache_size = -32768');
    markSearchIndexStale(db);
    const store = new RecordStore(db, importId);
    let imported = 0;
    let duplicates = 0;
    let rejected = 0;
    let zoneless = false;
    let bytesRead = 0;
    const errors: RowError[] = [];
    let contentHash = '';
    for (;;) {
      const item = await feed.next();
      if (item.type === 'encoding') {
        db.exec('ROLLBACK');
        return 'encoding';
      }
      if (item.type === 'end') {
        contentHash = item.contentHash;
        // Free the worker's memory before the index builds need theirs.
        await feed.close();
        break;
      }
      checkCancel(signal);
      const inserted = store.insertBatch(item.data, item.nums, item.rows);
      feed.ack();
      imported += inserted;
      duplicates += item.rows - inserted;
      rejected += item.rejected.length;
      store.insertRejected(item.rejected);
      for (const r of item.rejected) {
        if (errors.length >= MAX_LISTED_ERRORS) break;
        errors.push(
          r.column === null
            ? { line: r.line, reason: r.reason }
            : { line: r.line, column: r.column, reason: r.reason },
        );
      }
      zoneless ||= item.zoneless;
      bytesRead = item.bytesRead;
      progress.report('rows', imported + duplicates + rejected, bytesRead);
      await yieldToLoop();
    }
    if (dropped) {
      progress.report('indexes', imported + duplicates + rejected, bytesRead);
      const repeated = withParallelSort(db, () => rebuildRowKeyIndex(db));
      imported -= repeated;
      duplicates += repeated;
      for (const idx of RECORD_INDEXES) {
        checkCancel(signal);
        progress.report('indexes', imported + duplicates + rejected, bytesRead);
        withParallelSort(db, () => db.exec(idx.sql));
        await yieldToLoop();
      }
    }
    checkCancel(signal);
    const timezoneAssumed = zoneless ? (input.timeZone ?? 'UTC') : '';
    insertImportRow(db, importId, importRow, {
      contentHash,
      timezoneAssumed,
      imported,
      duplicates,
      rejected,
    });
    db.exec('COMMIT');
    return { importId, imported, duplicates, rejected, errors, timezoneAssumed };
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  } finally {
    await feed.close();
    restore();
  }
}
