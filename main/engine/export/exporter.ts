/**
 * Export: the filtered, sorted records streamed to CSV with the portal's header names and the
 * values as imported. SQLite joins each row into one string (one crossing into JS per row instead
 * of 24); JS only checks the row with one regex and formats field by field when the row needs
 * quoting or the formula guard. The file is written to a temp file and renamed at the end.
 */
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { COLUMN_IDS, columnById, isColumnId, type ColumnId } from '../../../common/columns';
import type { ExportProgress, ExportRequest, ExportResult } from '../../../common/contract';
import { openDatabase } from '../db/open';
import { EngineError } from '../errors';
import { compileCount, compileSelect, type CompiledSql } from '../query/select';
import { realPath } from '../real-path';
import { AtomicFile } from './atomic-file';
import { FIELD_SEP_CODE, fastRowTest, formatJoinedRow, formatLine, type ExportDelimiter } from './csv';
import { formattedRowsSql, joinedRowsSql } from './sql';
import { resolveExportTarget } from './target';
import { registerZonedTime, zonedSelect } from './zoned';

export interface ExportOptions {
  readonly signal: AbortSignal;
  readonly onProgress: (p: ExportProgress) => void;
}

/** ~1 MB of text per write: large enough to amortise the write call, small enough to stay responsive. */
const CHUNK_CHARS = 1 << 20;
const PROGRESS_MS = 250;
const FALLBACK = Symbol('fallback');

interface Plan {
  readonly target: string;
  readonly columns: readonly ColumnId[];
  readonly delimiter: ExportDelimiter;
  readonly guard: boolean;
  readonly bom: boolean;
}

/**
 * The absolute target of an export, symlinks followed (see target.ts); never the workspace database
 * or its WAL files, under any name, and never a device, FIFO or folder.
 */
/** The request's columns (all 24 in export order by default), checked: known, at least one, none twice. */
export function exportColumns(req: Pick<ExportRequest, 'columns'>): readonly ColumnId[] {
  const columns = req.columns ?? COLUMN_IDS;
  if (columns.length === 0)
    throw new EngineError('INVALID_ARGUMENT', 'Choose at least one column to export.');
  const seen = new Set<string>();
  for (const c of columns) {
    if (!isColumnId(c))
      throw new EngineError('INVALID_ARGUMENT', `Unknown column ${JSON.stringify(c)}.`, { column: c });
    if (seen.has(c))
      throw new EngineError('INVALID_ARGUMENT', `Column ${columnById(c).header} is listed twice.`, {
        column: c,
      });
    seen.add(c);
  }
  return columns;
}

export function exportTarget(db: Database, file: string): string {
  if (typeof file !== 'string' || file.trim() === '')
    throw new EngineError('INVALID_ARGUMENT', 'Choose a file to export to.');
  const target = resolveExportTarget(path.resolve(file));
  if (
    !db.memory &&
    [db.name, `${db.name}-wal`, `${db.name}-shm`].some((f) => realPath(path.resolve(f)) === target)
  ) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      'The export cannot overwrite the workspace database; choose another file name.',
    );
  }
  return target;
}

function plan(db: Database, req: ExportRequest): Plan {
  const target = exportTarget(db, req.path);
  if (req.delimiter !== ',' && req.delimiter !== ';')
    throw new EngineError('INVALID_ARGUMENT', 'The delimiter must be "," or ";".');
  const columns = exportColumns(req);
  return {
    target,
    columns,
    delimiter: req.delimiter,
    guard: req.formulaGuard !== false,
    bom: req.bom === true,
  };
}

/**
 * Reads on a connection of their own when the workspace is a file: the writer connection stays free
 * for imports, and one read transaction gives the count and the rows the same snapshot.
 */
function openReader(db: Database): { readonly db: Database; readonly close: () => void } {
  if (db.memory) return { db, close: () => undefined };
  const reader = openDatabase(db.name, { readonly: true });
  // A sort the indexes do not cover spills to temp files instead of RAM: 1M rows sorted in memory
  // took ~450 MB (and longer), on disk ~180 MB; 5M rows would not fit comfortably at all.
  reader.pragma('temp_store = FILE');
  reader.exec('BEGIN');
  return {
    db: reader,
    close: () => {
      if (reader.inTransaction) reader.exec('COMMIT');
      reader.close();
    },
  };
}

/** Turns every U+001F byte into the delimiter in place; returns how many there were. */
function replaceSeparators(buf: Buffer, code: number): number {
  let n = 0;
  for (let i = buf.indexOf(FIELD_SEP_CODE); i !== -1; i = buf.indexOf(FIELD_SEP_CODE, i + 1)) {
    buf[i] = code;
    n++;
  }
  return n;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Pass {
  readonly reader: Database;
  readonly sql: CompiledSql;
  /** Rows arrive joined by U+001F (fast path) rather than already formatted (fallback). */
  readonly joined: boolean;
}

async function writeRows(
  p: Plan,
  pass: Pass,
  file: AtomicFile,
  report: (rows: number, force: boolean) => void,
  signal: AbortSignal,
): Promise<number | typeof FALLBACK> {
  const header =
    (p.bom ? '\uFEFF' : '') +
    formatLine(
      p.columns.map((c) => columnById(c).header),
      p.delimiter,
      false,
    ) +
    '\r\n';
  await file.write(Buffer.from(header, 'utf8'));
  const test = fastRowTest(p.delimiter, p.guard);
  const sepsPerRow = p.columns.length - 1;
  const delimiterCode = p.delimiter.charCodeAt(0);
  let chunk = '';
  let inChunk = 0;
  let rows = 0;
  const flush = async (): Promise<boolean> => {
    const buf = Buffer.from(chunk, 'utf8');
    // Every separator must be one of ours; any extra means a value contained U+001F.
    if (pass.joined && replaceSeparators(buf, delimiterCode) !== inChunk * sepsPerRow) return false;
    await file.write(buf);
    chunk = '';
    inChunk = 0;
    report(rows, false);
    // A macrotask turn, so a cancel message (worker) or signal (CLI) gets a chance to arrive.
    await nextTurn();
    if (signal.aborted) throw new EngineError('CANCELLED', 'Export cancelled; no file was written.');
    return true;
  };
  const stmt = pass.reader.prepare(pass.sql.sql).pluck(true);
  for (const value of stmt.iterate(...pass.sql.params)) {
    const line = typeof value === 'string' ? value : String(value);
    if (!pass.joined || !test.test(line)) chunk += line + '\r\n';
    else {
      const formatted = formatJoinedRow(line, p.columns.length, p.delimiter, p.guard);
      if (formatted === null) return FALLBACK;
      chunk += formatted + '\r\n';
    }
    rows++;
    inChunk++;
    if (chunk.length >= CHUNK_CHARS && !(await flush())) return FALLBACK;
  }
  if (inChunk > 0 && !(await flush())) return FALLBACK;
  return rows;
}

const WRITE_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'the folder does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied, or the file is open in another program (e.g. Excel)',
  EBUSY: 'the file is open in another program (e.g. Excel)',
  EISDIR: 'that name is a folder',
  ENOSPC: 'the disk is full',
};

export function writeError(err: unknown, target: string): EngineError {
  if (err instanceof EngineError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const reason = (code && WRITE_REASONS[code]) ?? (err instanceof Error ? err.message : String(err));
  return new EngineError('EXPORT_FAILED', `Could not write ${target}: ${reason}.`, {
    path: target,
    ...(code ? { code } : {}),
  });
}

export async function runExport(
  db: Database,
  req: ExportRequest,
  opts: ExportOptions,
): Promise<ExportResult> {
  const started = performance.now();
  const p = plan(db, req);
  const plainInner = compileSelect(req.filter, req.sort, p.columns, true);
  const inner = req.timeZone === undefined ? plainInner : zonedSelect(plainInner, p.columns);
  const count = compileCount(req.filter);
  if (opts.signal.aborted) throw new EngineError('CANCELLED', 'Export cancelled; no file was written.');
  const reader = openReader(db);
  if (req.timeZone !== undefined) registerZonedTime(reader.db, req.timeZone);
  let file: AtomicFile;
  try {
    file = await AtomicFile.create(p.target);
  } catch (err) {
    reader.close();
    throw writeError(err, p.target);
  }
  try {
    const expectedRows = (reader.db.prepare(count.sql).get(...count.params) as { n: number }).n;
    let last = 0;
    const report = (rows: number, force: boolean): void => {
      const now = performance.now();
      if (!force && now - last < PROGRESS_MS) return;
      last = now;
      opts.onProgress({ jobId: req.jobId, rowsWritten: rows, totalRows: expectedRows });
    };
    report(0, true);
    let rows = await writeRows(
      p,
      { reader: reader.db, sql: joinedRowsSql(inner, p.columns), joined: true },
      file,
      report,
      opts.signal,
    );
    if (rows === FALLBACK) {
      await file.truncate();
      const sql = formattedRowsSql(inner, p.columns, p.delimiter, p.guard);
      rows = await writeRows(p, { reader: reader.db, sql, joined: false }, file, report, opts.signal);
    }
    if (rows === FALLBACK) throw new EngineError('INTERNAL', 'export fallback failed');
    if (rows !== expectedRows) {
      throw new EngineError(
        'EXPORT_FAILED',
        `Export stopped: ${rows} rows written but ${expectedRows} match the filter; no file was written.`,
        { rowsWritten: rows, expectedRows },
      );
    }
    report(rows, true);
    reader.close();
    await file.commit();
    return {
      path: p.target,
      rowsWritten: rows,
      expectedRows,
      bytes: file.bytes,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (err) {
    try {
      reader.close();
    } catch {
      // Already closed after a successful read; the original error is what matters.
    }
    await file.discard();
    throw writeError(err, p.target);
  }
}
