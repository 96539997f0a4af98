// STUB (owned by the import-engine work).
import type { Database } from 'better-sqlite3';
import type { ImportHistoryEntry, RejectedRow } from '../../../common/contract';

export function listImports(_db: Database): ImportHistoryEntry[] {
  return [];
}

export function listRejected(_db: Database, _importId: number, _offset: number, _limit: number): { total: number; rows: RejectedRow[] } {
  return { total: 0, rows: [] };
}
