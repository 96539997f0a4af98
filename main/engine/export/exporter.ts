// STUB (owned by the smtp/export work).
import type { Database } from 'better-sqlite3';
import type { ExportProgress, ExportRequest, ExportResult } from '../../../common/contract';
import { EngineError } from '../errors';

export interface ExportOptions {
  readonly signal: AbortSignal;
  readonly onProgress: (p: ExportProgress) => void;
}

export function runExport(_db: Database, _req: ExportRequest, _opts: ExportOptions): Promise<ExportResult> {
  return Promise.reject(new EngineError('INTERNAL', 'export not implemented yet'));
}
