/**
 * Imports delivery exports into the workspace database. Each file is one transaction: rows, rejected
 * rows, rebuilt indexes and its `imports` row commit together or not at all, so cancel, an error or a
 * killed process leaves the records exactly as before; a failed or cancelled file is then recorded in
 * the history with its reason (history.ts). A file identical to one imported before is not read
 * again unless forced (identical.ts). Parsing runs in a worker thread beside this one (parse-worker.ts).
 */
import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { FileImportResult, ImportProgress, ImportRequest, ImportResult } from '../../../common/contract';
import { EngineError } from '../errors';
import { setPragmas } from '../db/pragmas';
import { updateSearchIndex } from '../query/search-index';
import { isSearchIndexReady } from '../workspace';
import { keepMemories } from './keep-memories';
import { startCheckpoint } from './checkpoint';
import { recordStoppedImport } from './history';
import { findIdenticalImport } from './identical';
import { loadFile, type LoadOutcome } from './load';
import { mapHeaders } from './headers';
import { ProgressReporter } from './progress';
import { readSample, sniff } from './sniff';
import { isBusy } from './write-lock';
import { importWorkbook, workbookKind } from '../xlsx/import';

export interface ImportOptions {
  readonly signal: AbortSignal;
  readonly onProgress: (p: ImportProgress) => void;
  /** Bytes per read of the parse worker (tests move chunk boundaries with it). */
  readonly chunkBytes?: number;
  /** false: no memories phase (tests of the readers' own load steps and copies). */
  readonly keepMemories?: boolean;
}

function isCancel(err: unknown): boolean {
  return (
    (err instanceof EngineError && err.code === 'CANCELLED') ||
    (err instanceof Error && err.name === 'AbortError')
  );
}

function readableError(err: unknown, file: string): string {
  if (err instanceof EngineError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return `File not found: ${file}`;
  if (e.code === 'EACCES' || e.code === 'EPERM') return `No permission to read ${file}`;
  if (e.code === 'EISDIR') return `${file} is a folder, not a CSV file`;
  return err instanceof Error ? err.message : String(err);
}

/** A pipe, device or socket has no size and may never end: "empty" would be wrong, reading it unsafe. */
function checkRegularFile(file: string, st: Stats): void {
  if (st.isFile()) return;
  if (st.isDirectory()) throw new EngineError('IMPORT_FAILED', `${file} is a folder, not a CSV file`);
  const what = st.isFIFO()
    ? 'a named pipe'
    : st.isCharacterDevice() || st.isBlockDevice()
      ? 'a device'
      : st.isSocket()
        ? 'a socket'
        : 'not a file';
  throw new EngineError(
    'IMPORT_FAILED',
    `${file} is not a regular file (${what}); save the export as a file and import that.`,
  );
}

async function importFile(
  db: Database,
  file: string,
  req: ImportRequest,
  opts: ImportOptions,
  fileIndex: number,
): Promise<{ result: FileImportResult; cancelled: boolean }> {
  const started = performance.now();
  const startedAt = Date.now();
  const empty = { file, importId: null, imported: 0, duplicates: 0, rejected: 0, errors: [] };
  let size = 0;
  let how: { delimiter?: string; encoding?: string } = {};
  try {
    const st = statSync(file);
    checkRegularFile(file, st);
    size = st.size;
    const progress = new ProgressReporter(opts.onProgress, {
      jobId: req.jobId,
      file,
      fileIndex,
      fileCount: req.paths.length,
      totalBytes: size,
    });
    // Also covers hashing a file whose size matches an earlier import (the whole file is read).
    progress.report('sniffing', 0, 0);
    if (req.force !== true && req.replaces === undefined && size > 0) {
      const earlier = await findIdenticalImport(db, file, size, req, opts.signal);
      if (earlier !== null)
        return {
          result: { ...earlier, durationMs: Math.round(performance.now() - started) },
          cancelled: false,
        };
    }
    const sample = size === 0 ? Buffer.alloc(0) : readSample(file);
    if (workbookKind(sample) !== null) {
      if (req.replaces !== undefined)
        throw new EngineError(
          'INVALID_ARGUMENT',
          `${file} is an Excel workbook: its times carry their own format, so it is not re-read in another zone. Remove import #${req.replaces} and import it again instead.`,
        );
      // Excel workbook, recognised by content (not by name): its own probe and parse worker.
      const result = await importWorkbook(db, file, size, opts.signal, progress, sample);
      return { result: { ...result, durationMs: Math.round(performance.now() - started) }, cancelled: false };
    }
    let sniffed = sniff(sample, size, { delimiter: req.delimiter, encoding: req.encoding });
    how = { delimiter: sniffed.delimiter, encoding: sniffed.encoding };
    const mapping = mapHeaders(sniffed.headers);
    let outcome: LoadOutcome = await loadFile(db, {
      file,
      fileName: path.basename(file),
      size,
      sniffed,
      mapping,
      auto: req.encoding === undefined,
      signal: opts.signal,
      progress,
      ...(opts.chunkBytes !== undefined ? { chunkBytes: opts.chunkBytes } : {}),
      ...(req.timeZone !== undefined ? { timeZone: req.timeZone } : {}),
      ...(req.replaces !== undefined ? { replaces: req.replaces } : {}),
    });
    if (outcome === 'encoding') {
      // Read as Windows-1252 (its first high bytes were not UTF-8), but UTF-8 came later: it is a
      // UTF-8 file with stray bytes. Read it again as UTF-8; the rows holding those bytes are rejected.
      sniffed = { ...sniffed, encoding: 'utf-8' };
      progress.restart();
      outcome = await loadFile(db, {
        file,
        fileName: path.basename(file),
        size,
        sniffed,
        mapping,
        auto: false,
        signal: opts.signal,
        progress,
        ...(opts.chunkBytes !== undefined ? { chunkBytes: opts.chunkBytes } : {}),
        ...(req.timeZone !== undefined ? { timeZone: req.timeZone } : {}),
        ...(req.replaces !== undefined ? { replaces: req.replaces } : {}),
      });
      if (outcome === 'encoding') throw new EngineError('INTERNAL', 'encoding fallback failed');
    }
    const { switchedAt, encodingRejected, unknownValues, ...counts } = outcome;
    const result: FileImportResult = {
      ...counts,
      file,
      delimiter: sniffed.delimiter,
      records: counts.imported + counts.duplicates + counts.rejected,
      ...(encodingRejected > 0 ? { encodingRejected } : {}),
      ...(switchedAt !== null ? { encodingSwitchedAt: switchedAt } : {}),
      ...(outcome.timezoneAssumed !== '' ? { timezoneAssumed: outcome.timezoneAssumed } : {}),
      ...(mapping.unknown.length > 0 ? { unknownColumns: mapping.unknown } : {}),
      ...(Object.keys(unknownValues).length > 0 ? { unknownValues } : {}),
      durationMs: Math.round(performance.now() - started),
    };
    return { result, cancelled: false };
  } catch (err) {
    const cancelled = isCancel(err) || opts.signal.aborted;
    const error = cancelled ? 'Cancelled: nothing of this file was stored.' : readableError(err, file);
    recordStoppedImport(db, {
      file,
      fileName: path.basename(file),
      fileSize: size,
      startedAt,
      status: cancelled ? 'cancelled' : 'failed',
      error,
      ...how,
    });
    return { result: { ...empty, error, durationMs: Math.round(performance.now() - started) }, cancelled };
  }
}

/**
 * Page cache (KiB) of the search-index phase, instead of the writer's 64 MiB. Its passes read each
 * table once and its sorts' runs are sized by the cache too, so the 64 MiB filled with pages read
 * once and sorted runs: 1M CSV import, RSS sampled every 50 ms, that phase's peak 200.3 -> 141.6 MB
 * and the whole import's 213.0 -> 179.3, the phase 120.9 vs 123.7 s (both runs side by side, loaded
 * machine; README 18c).
 */
export const SEARCH_INDEX_CACHE_KIB = 8192;

function indexBehind(db: Database): boolean {
  return !isSearchIndexReady(db) && db.prepare('SELECT 1 FROM records LIMIT 1').get() !== undefined;
}

export async function runImport(
  db: Database,
  req: ImportRequest,
  opts: ImportOptions,
): Promise<ImportResult> {
  if (req.replaces !== undefined && req.paths.length !== 1)
    throw new EngineError('INVALID_ARGUMENT', 'replaces one import with exactly one file', {
      path: 'replaces',
    });
  const files: FileImportResult[] = [];
  let cancelled = false;
  let stored = 0;
  for (let i = 0; i < req.paths.length; i++) {
    if (opts.signal.aborted) {
      cancelled = true;
      break;
    }
    const { result, cancelled: stop } = await importFile(db, req.paths[i], req, opts, i);
    files.push(result);
    if (result.alreadyImported === undefined) stored += result.imported;
    if (stop) {
      cancelled = true;
      break;
    }
  }
  const last = req.paths[Math.max(0, files.length - 1)] ?? '';
  const base = {
    jobId: req.jobId,
    file: last,
    fileIndex: files.length - 1,
    fileCount: req.paths.length,
    bytesRead: 0,
    totalBytes: 0,
  };
  // Also when this import stored nothing: an earlier one may have left the index behind (see below).
  if ((stored > 0 || indexBehind(db)) && !opts.signal.aborted) {
    // After the rows are committed, so the grid is usable while the substring index is built.
    opts.onProgress({ ...base, phase: 'search-index', rows: stored, rowsPerSecond: 0 });
    // The imported rows are copied from the WAL on the other core meanwhile (see checkpoint.ts).
    const checkpoint = startCheckpoint(db);
    const restore = setPragmas(db, {
      // Its DISTINCT passes over millions of rows spill to temp files rather than growing memory.
      temp_store: 'FILE',
      cache_size: -SEARCH_INDEX_CACHE_KIB,
      ...(checkpoint ? { wal_autocheckpoint: 0 } : {}),
    });
    try {
      updateSearchIndex(db, opts.signal);
    } catch (err) {
      if (isCancel(err)) cancelled = true;
      // Busy: another import took the write lock right after this one committed. The index stays
      // marked stale and that import brings it up to date when it ends; search scans meanwhile.
      else if (!isBusy(err)) throw err;
    } finally {
      restore();
      await checkpoint?.done;
    }
    // The grid and the search index are ready; the readers' memories follow (keep-memories.ts).
    if (!opts.signal.aborted && opts.keepMemories !== false) {
      opts.onProgress({ ...base, phase: 'memories', rows: stored, rowsPerSecond: 0 });
      keepMemories(db, opts.signal);
    }
  }
  opts.onProgress({ ...base, phase: 'done', rows: stored, rowsPerSecond: 0 });
  return { files, cancelled };
}
