// STUB (owned by the import-engine work): replaced by the real importer.
import type { Database } from 'better-sqlite3';
import type { ImportProgress, ImportRequest, ImportResult } from '../../../common/contract';
import { EngineError } from '../errors';

export interface ImportOptions {
  readonly signal: AbortSignal;
  readonly onProgress: (p: ImportProgress) => void;
}

export function runImport(_db: Database, _req: ImportRequest, _opts: ImportOptions): Promise<ImportResult> {
  return Promise.reject(new EngineError('INTERNAL', 'import not implemented yet'));
}
