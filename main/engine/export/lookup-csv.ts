/**
 * Writes batch-lookup results (one line per address) as CSV. The renderer cannot write files
 * itself (sandboxed, downloads denied), so the lines are recomputed here from the addresses and
 * written through the same atomic file and formula guard as record exports.
 */
import type { Database } from 'better-sqlite3';
import type { LookupExportRequest } from '../../../common/contract';
import { lookupAddresses } from '../query';
import { AtomicFile } from './atomic-file';
import { formatLine } from './csv';
import { exportTarget, writeError } from './exporter';

export const LOOKUP_HEADERS = [
  'Address',
  'Records found',
  'Status',
  'Substatus',
  'Status Details',
  'Creation Time',
  'SMTP Status Code',
  'Correlation ID',
] as const;

export async function exportLookup(
  db: Database,
  req: LookupExportRequest,
): Promise<{ readonly path: string; readonly rows: number }> {
  const target = exportTarget(db, req.path);
  const lines = lookupAddresses(db, req.addresses);
  // Always on: the contract has no way to turn it off for lookup files (only the record export dialog can).
  const guard = true;
  let text = (req.bom ? '\ufeff' : '') + formatLine(LOOKUP_HEADERS, req.delimiter, guard) + '\r\n';
  for (const l of lines) {
    const values = [
      l.address,
      l.found,
      l.latestStatus,
      l.latestSubstatus,
      l.latestDetails,
      l.latestTime,
      l.latestSmtp,
      l.correlationId,
    ];
    text += formatLine(values, req.delimiter, guard) + '\r\n';
  }
  let file: AtomicFile | null = null;
  try {
    file = await AtomicFile.create(target);
    await file.write(Buffer.from(text, 'utf8'));
    await file.commit();
  } catch (err) {
    await file?.discard();
    throw writeError(err, target);
  }
  return { path: target, rows: lines.length };
}
