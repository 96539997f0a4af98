/**
 * One file, one transaction. The parse worker feeds batches; this thread inserts them, rebuilds the
 * B-tree indexes if it dropped them, records the import and commits. Yields to the event loop after
 * every batch so cancel messages (and the host's other traffic) are handled.
 */
import type { Database } from 'better-sqlite3';
import type { EncodingName, RowError, UnknownEnumValues } from '../../../common/contract';
import { withParallelSort } from '../db/index-build';
import { setPragmas } from '../db/pragmas';
import { EngineError } from '../errors';
import { ParseFeed } from './feed';
import { INVALID_BYTE_REASON } from './feed-protocol';
import type { HeaderMapping } from './headers';
import { dropPlanned, planIndexes } from './index-plan';
import type { ProgressReporter } from './progress';
import type { XlsxPlan } from '../xlsx/plan';
import type { Sniffed } from './sniff';
import {
  insertImportRow,
  markSearchIndexStale,
  rebuildRowKeyIndex,
  RecordStore,
  reserveImportId,
  type ImportRowInit,
} from './store';
import { beginImportWrite } from './write-lock';
import { removeImportRows } from './remove';
import { gridIndexBuildSql } from '../query/grid-partial';

/** How many rejected rows the result lists; all of them are stored. */
export const MAX_LISTED_ERRORS = 100;

export interface LoadInput {
  readonly file: string;
  readonly fileName: string;
  readonly size: number;
  readonly sniffed: Sniffed;
  readonly mapping: HeaderMapping;
  /** The encoding was detected, not chosen (see ParserInit.auto). */
  readonly auto: boolean;
  readonly signal: AbortSignal;
  readonly progress: ProgressReporter;
  readonly chunkBytes?: number;
  /** Set for an Excel workbook (see main/engine/xlsx/import.ts). */
  readonly xlsx?: XlsxPlan;
  /** Zone of zone-less times (IANA name or 'UTC'); undefined = UTC. */
  readonly timeZone?: string | undefined;
  /** An earlier import whose records this file replaces in its transaction (see remove.ts). */
  readonly replaces?: number | undefined;
}

export type LoadOutcome =
  | {
      readonly importId: number;
      readonly imported: number;
      readonly duplicates: number;
      readonly rejected: number;
      readonly errors: readonly RowError[];
      readonly timezoneAssumed: string;
      readonly encoding: EncodingName;
      readonly switchedAt: number | null;
      readonly encodingRejected: number;
      readonly unknownValues: UnknownEnumValues;
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
  // Waits while another import writes; the parse worker starts only once this one holds the lock.
  const restore = await beginImportWrite(
    db,
    signal,
    progress,
    () => tune(db),
    (r) => r(),
  );
  let feed: ParseFeed | null = null;
  try {
    feed = new ParseFeed({
      path: input.file,
      encoding: sniffed.encoding,
      auto: input.auto,
      delimiter: sniffed.delimiter,
      columns: mapping.columns,
      headers: mapping.headers,
      skipLines: sniffed.skipLines,
      ...(input.chunkBytes !== undefined ? { chunkBytes: input.chunkBytes } : {}),
      ...(input.xlsx ? { xlsx: input.xlsx } : {}),
      ...(input.timeZone === undefined ? {} : { timeZone: input.timeZone }),
    });
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
    if (input.replaces !== undefined)
      removeImportRows(
        db,
        input.replaces,
        (n) =>
          `replaced by import #${importId}, which read the file again with times in ${input.timeZone ?? 'UTC'} (${n.toLocaleString('en')} records)`,
      );
    const plan = planIndexes(db, input.size);
    dropPlanned(db, plan);
    // Appending to an index-free table needs few cached pages; the memory is the parse worker's meanwhile.
    if (plan.share === 1) db.pragma('cache_size = -32768');
    markSearchIndexStale(db);
    const store = new RecordStore(db, importId, plan.singleRow ? 1 : undefined);
    let imported = 0;
    let duplicates = 0;
    let rejected = 0;
    let zoneless = false;
    let bytesRead = 0;
    const errors: RowError[] = [];
    let contentHash = '';
    let encoding = sniffed.encoding;
    let switchedAt: number | null = null;
    let encodingRejected = 0;
    let unknownValues: UnknownEnumValues = {};
    for (;;) {
      const item = await feed.next();
      if (item.type === 'encoding') {
        db.exec('ROLLBACK');
        return 'encoding';
      }
      if (item.type === 'end') {
        contentHash = item.contentHash;
        encoding = item.encoding;
        switchedAt = item.switchedAt;
        unknownValues = item.unknownValues;
        // Free the worker's memory before the index builds need theirs.
        await feed.close();
        break;
      }
      checkCancel(signal);
      const inserted = store.insertBatch(item.data, item.nums, item.rows, item.specials);
      feed.ack();
      imported += inserted;
      duplicates += item.rows - inserted;
      rejected += item.rejected.length;
      for (const r of item.rejected) if (r.reason.startsWith(INVALID_BYTE_REASON)) encodingRejected++;
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
    if (plan.rowKey || plan.rebuild.length > 0) {
      progress.report('indexes', imported + duplicates + rejected, bytesRead);
      // Rebuilt, the unique key finds the duplicates of this file and of the case (keeping the older row).
      const repeated = plan.rowKey ? withParallelSort(db, () => rebuildRowKeyIndex(db)) : 0;
      imported -= repeated;
      duplicates += repeated;
      for (const idx of plan.rebuild) {
        checkCancel(signal);
        progress.report('indexes', imported + duplicates + rejected, bytesRead);
        withParallelSort(db, () => db.exec(gridIndexBuildSql(db, idx)));
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
    return {
      importId,
      imported,
      duplicates,
      rejected,
      errors,
      timezoneAssumed,
      encoding,
      switchedAt,
      encodingRejected,
      unknownValues,
    };
  } catch (err) {
    // The transaction is this import's own: beginImportWrite returned only after its BEGIN.
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  } finally {
    await feed?.close();
    restore();
  }
}
