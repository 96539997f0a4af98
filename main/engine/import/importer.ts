/**
 * Imports delivery exports into the workspace database. Each file is one transaction: rows, rejected
 * rows, rebuilt indexes and its `imports` row commit together or not at all, so cancel, an error or a
 * killed process leaves the database exactly as before (nothing is recorded for a failed file; the
 * result reports it). Parsing runs in a worker thread beside this one (see parse-worker.ts).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { FileImportResult, ImportProgress, ImportRequest, ImportResult } from '../../../common/contract';
import { EngineError } from '../errors';
import { setPragmas } from '../db/pragmas';
import { updateSearchIndex } from '../query/search-index';
import { startCheckpoint } from './checkpoint';
import { loadFile, type LoadOutcome } from './load';
import { mapHeaders } from './headers';
import { ProgressReporter } from './progress';
import { readSample, sniff } from './sniff';

export interface ImportOptions {
  readonly signal: AbortSignal;
  readonly onProgress: (p: ImportProgress) => void;
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

async function importFile(
  db: Database,
  file: string,
  req: ImportRequest,
  opts: ImportOptions,
  fileIndex: number,
): Promise<{ result: FileImportResult; cancelled: boolean }> {
  const started = performance.now();
  const empty = { file, importId: null, imported: 0, duplicates: 0, rejected: 0, errors: [] };
  try {
    const size = statSync(file).size;
    const progress = new ProgressReporter(opts.onProgress, {
      jobId: req.jobId,
      file,
      fileIndex,
      fileCount: req.paths.length,
      totalBytes: size,
    });
    progress.report('sniffing', 0, 0);
    const sample = size === 0 ? Buffer.alloc(0) : readSample(file);
    let sniffed = sniff(sample, size, { delimiter: req.delimiter, encoding: req.encoding });
    const mapping = mapHeaders(sniffed.headers);
    let outcome: LoadOutcome = await loadFile(db, {
      file,
      fileName: path.basename(file),
      size,
      sniffed,
      mapping,
      strict: req.encoding === undefined,
      signal: opts.signal,
      progress,
      timeZone: req.timeZone,
    });
    if (outcome === 'encoding') {
      // The sample looked like UTF-8 but a later byte was not: the file is Windows-1252 after all.
      sniffed = { ...sniffed, encoding: 'windows-1252' };
      progress.restart();
      outcome = await loadFile(db, {
        file,
        fileName: path.basename(file),
        size,
        sniffed,
        mapping,
        strict: false,
        signal: opts.signal,
        progress,
        timeZone: req.timeZone,
      });
      if (outcome === 'encoding') throw new EngineError('INTERNAL', 'encoding fallback failed');
    }
    const result: FileImportResult = {
      ...outcome,
      file,
      delimiter: sniffed.delimiter,
      encoding: sniffed.encoding,
      ...(outcome.timezoneAssumed !== '' ? { timezoneAssumed: outcome.timezoneAssumed } : {}),
      ...(mapping.unknown.length > 0 ? { unknownColumns: mapping.unknown } : {}),
      durationMs: Math.round(performance.now() - started),
    };
    return { result, cancelled: false };
  } catch (err) {
    const cancelled = isCancel(err) || opts.signal.aborted;
    const error = cancelled ? 'Cancelled: nothing of this file was stored.' : readableError(err, file);
    return { result: { ...empty, error, durationMs: Math.round(performance.now() - started) }, cancelled };
  }
}

export async function runImport(
  db: Database,
  req: ImportRequest,
  opts: ImportOptions,
): Promise<ImportResult> {
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
    stored += result.imported;
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
  if (stored > 0 && !opts.signal.aborted) {
    // After the rows are committed, so the grid is usable while the substring index is built.
    opts.onProgress({ ...base, phase: 'search-index', rows: stored, rowsPerSecond: 0 });
    // The imported rows are copied from the WAL on the other core meanwhile (see checkpoint.ts).
    const checkpoint = startCheckpoint(db);
    const restore = setPragmas(db, {
      // Its DISTINCT passes over millions of rows spill to temp files rather than growing memory.
      temp_store: 'FILE',
      ...(checkpoint ? { wal_autocheckpoint: 0 } : {}),
    });
    try {
      updateSearchIndex(db, opts.signal);
    } catch (err) {
      if (!isCancel(err)) throw err;
      cancelled = true;
    } finally {
      restore();
      await checkpoint?.done;
    }
  }
  opts.onProgress({ ...base, phase: 'done', rows: stored, rowsPerSecond: 0 });
  return { files, cancelled };
}
