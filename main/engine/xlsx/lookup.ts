/**
 * The batch lookup's "Save as Excel": one row per address, written through the same streaming
 * writer and atomic file as record exports (times as dates in the display zone, counts as numbers).
 */
import type { Database } from 'better-sqlite3';
import type { LookupExportRequest } from '../../../common/contract';
import { AtomicFile } from '../export/atomic-file';
import { exportTarget, writeError } from '../export/exporter';
import { LOOKUP_HEADERS } from '../export/lookup-csv';
import { lookupAddresses } from '../query';
import { EngineError } from '../errors';
import { ZoneOffsets } from './dates';
import { XlsxWriter, type XlsxColumnType } from './writer';

const TYPES: readonly XlsxColumnType[] = ['text', 'number', 'text', 'text', 'text', 'time', 'text', 'text'];

export async function exportLookupXlsx(
  db: Database,
  req: LookupExportRequest,
): Promise<{ readonly path: string; readonly rows: number }> {
  const target = exportTarget(db, req.path);
  const timeZone = req.timeZone ?? 'UTC';
  try {
    ZoneOffsets.check(timeZone);
  } catch {
    throw new EngineError('INVALID_ARGUMENT', `Unknown time zone "${timeZone}".`, { timeZone });
  }
  const lines = lookupAddresses(db, req.addresses);
  let file: AtomicFile | null = null;
  try {
    const f = await AtomicFile.create(target);
    file = f;
    const writer = new XlsxWriter((chunk) => f.write(chunk), {
      columns: LOOKUP_HEADERS.map((header, i) => ({ header, type: TYPES[i] })),
      sheetName: 'Address lookup',
      timeZone,
    });
    for (const l of lines)
      await writer.addRow([
        l.address,
        l.found,
        l.latestStatus,
        l.latestSubstatus,
        l.latestDetails,
        l.latestTimeMs,
        l.latestSmtp,
        l.correlationId,
      ]);
    await writer.finish();
    await f.commit();
  } catch (err) {
    await file?.discard();
    throw writeError(err, target);
  }
  return { path: target, rows: lines.length };
}
