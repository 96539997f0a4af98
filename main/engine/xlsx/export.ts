/**
 * Export to .xlsx: the filtered, sorted records as a typed workbook (times as Excel dates in the
 * chosen display zone, sizes and versions as numbers, everything else as text), written through the
 * streaming writer into the same atomic temp file as the CSV export, cancellable between chunks.
 */
import type { Database } from 'better-sqlite3';
import { columnById, type ColumnId } from '../../../common/columns';
import type { ExportRequest, ExportResult } from '../../../common/contract';
import { openDatabase } from '../db/open';
import { EngineError } from '../errors';
import { AtomicFile } from '../export/atomic-file';
import { exportColumns, exportTarget, writeError, type ExportOptions } from '../export/exporter';
import { compileCount, compileSelect, type CompiledSql } from '../query/select';
import { ZoneOffsets } from './dates';
import { XlsxWriter, type XlsxColumn, type XlsxColumnType } from './writer';

const PROGRESS_MS = 250;
/** Rows between turns of the event loop (cancel messages arrive there). */
const TURN_ROWS = 2000;
export const XLSX_SHEET_NAME = 'Deliveries';

function typeOf(c: ColumnId): XlsxColumnType {
  const kind = columnById(c).kind;
  return kind === 'time' ? 'time' : kind === 'integer' ? 'number' : 'text';
}

/**
 * The query's select list with each time column as its epoch ms (`creation_time_ms`), which the
 * writer turns into a date serial. Ids are whitelisted; the filter stays bound parameters.
 */
export function typedRowsSql(req: ExportRequest, columns: readonly ColumnId[]): CompiledSql {
  const inner = compileSelect(req.filter, req.sort, [columns[0]]);
  const head = `SELECT ${columns[0]} FROM records `;
  if (!inner.sql.startsWith(head)) throw new EngineError('INTERNAL', 'unexpected select shape');
  const list = columns.map((c) => (typeOf(c) === 'time' ? `${c}_ms` : c)).join(', ');
  return { sql: `SELECT ${list} FROM records ${inner.sql.slice(head.length)}`, params: inner.params };
}

export function timeZoneOf(req: ExportRequest): string {
  const zone = req.timeZone ?? 'UTC';
  try {
    ZoneOffsets.check(zone);
  } catch {
    throw new EngineError('INVALID_ARGUMENT', `Unknown time zone "${zone}".`, { timeZone: zone });
  }
  return zone;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function runXlsxExport(
  db: Database,
  req: ExportRequest,
  opts: ExportOptions,
): Promise<ExportResult> {
  const started = performance.now();
  const target = exportTarget(db, req.path);
  const columns = exportColumns(req);
  const timeZone = timeZoneOf(req);
  const sql = typedRowsSql(req, columns);
  const count = compileCount(req.filter);
  const cancelled = (): EngineError => new EngineError('CANCELLED', 'Export cancelled; no file was written.');
  if (opts.signal.aborted) throw cancelled();
  // Its own read connection and snapshot, as the CSV export (the count and rows agree).
  const reader = db.memory ? db : openDatabase(db.name, { readonly: true });
  if (!db.memory) {
    reader.pragma('temp_store = FILE');
    // One pass in order needs few cached pages; the default 64 MB would fill up over a large
    // export and count against its peak RSS (target 200 MB).
    reader.pragma('cache_size = -8192');
    reader.exec('BEGIN');
  }
  const closeReader = (): void => {
    if (reader === db) return;
    if (reader.inTransaction) reader.exec('COMMIT');
    reader.close();
  };
  let file: AtomicFile;
  try {
    file = await AtomicFile.create(target);
  } catch (err) {
    closeReader();
    throw writeError(err, target);
  }
  const cols: XlsxColumn[] = columns.map((c) => ({ header: columnById(c).header, type: typeOf(c) }));
  const writer = new XlsxWriter((chunk) => file.write(chunk), {
    columns: cols,
    sheetName: XLSX_SHEET_NAME,
    timeZone,
  });
  try {
    const expectedRows = (reader.prepare(count.sql).get(...count.params) as { n: number }).n;
    let last = 0;
    const report = (rows: number, force: boolean): void => {
      const now = performance.now();
      if (!force && now - last < PROGRESS_MS) return;
      last = now;
      opts.onProgress({ jobId: req.jobId, rowsWritten: rows, totalRows: expectedRows });
    };
    report(0, true);
    let rows = 0;
    const stmt = reader.prepare(sql.sql).raw(true);
    for (const row of stmt.iterate(...sql.params) as Iterable<(string | number | null)[]>) {
      await writer.addRow(row);
      rows++;
      if (rows % TURN_ROWS === 0) {
        report(rows, false);
        await nextTurn();
        if (opts.signal.aborted) throw cancelled();
      }
    }
    const summary = await writer.finish();
    if (rows !== expectedRows)
      throw new EngineError(
        'EXPORT_FAILED',
        `Export stopped: ${rows} rows written but ${expectedRows} match the filter; no file was written.`,
        { rowsWritten: rows, expectedRows },
      );
    report(rows, true);
    closeReader();
    await file.commit();
    return {
      path: target,
      rowsWritten: rows,
      expectedRows,
      bytes: file.bytes,
      durationMs: Math.round(performance.now() - started),
      sheets: summary.sheets,
      truncatedCells: summary.truncatedCells,
    };
  } catch (err) {
    writer.abort();
    try {
      closeReader();
    } catch {
      // Already closed after a successful read; the original error is what matters.
    }
    await file.discard();
    throw writeError(err, target);
  }
}
