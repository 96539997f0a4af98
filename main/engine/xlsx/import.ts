/**
 * An Excel workbook's import: the same one-transaction load as a CSV file (load.ts), fed by the
 * xlsx parse worker instead of the CSV one. Reached from the importer when a file's first bytes
 * are a zip (or an OLE compound file, which fails with a clear message).
 */
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { FileImportResult } from '../../../common/contract';
import { EngineError } from '../errors';
import { loadFile } from '../import/load';
import type { ProgressReporter } from '../import/progress';
import { workbookKind } from './plan';
import { cfbError, probeWorkbook } from './probe';

export { workbookKind };

export async function importWorkbook(
  db: Database,
  file: string,
  size: number,
  signal: AbortSignal,
  progress: ProgressReporter,
  sample: Buffer,
): Promise<Omit<FileImportResult, 'durationMs'>> {
  if (workbookKind(sample) === 'cfb') throw cfbError(file);
  const probe = await probeWorkbook(file);
  const first = probe.sheets[0];
  const outcome = await loadFile(db, {
    file,
    fileName: path.basename(file),
    size,
    // The CSV-only fields are fixed: the workbook's text is XML, always Unicode.
    sniffed: { encoding: 'utf-8', delimiter: ',', headers: first.headers, skipLines: 0 },
    mapping: { columns: first.columns, headers: first.headers, unknown: [] },
    auto: false,
    signal,
    progress,
    xlsx: { sheets: probe.sheets },
  });
  if (outcome === 'encoding')
    throw new EngineError('INTERNAL', 'a workbook has no encoding to fall back from');
  const unknown = [
    ...new Set(probe.sheets.flatMap((s) => s.headers.filter((_, i) => s.columns[i] === null))),
  ];
  const { importId, imported, duplicates, rejected, errors, timezoneAssumed, unknownValues } = outcome;
  return {
    importId,
    imported,
    duplicates,
    rejected,
    errors,
    records: imported + duplicates + rejected,
    ...(Object.keys(unknownValues).length > 0 ? { unknownValues } : {}),
    file,
    ...(timezoneAssumed !== '' ? { timezoneAssumed } : {}),
    ...(unknown.length > 0 ? { unknownColumns: unknown } : {}),
    sheets: probe.report,
  };
}
