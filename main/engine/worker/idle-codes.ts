/**
 * The page reader's value codes (query/column-codes.ts), loaded in steps while it is idle
 * (idle-loop.ts); until complete, sorts take the SQL path.
 */
import type { Database } from 'better-sqlite3';
import { enableColumnCodes, stepColumnCodes } from '../query/column-codes';
import { idleLoop } from './idle-loop';

export function startColumnCodes(db: Database): () => void {
  enableColumnCodes(db);
  return idleLoop(() => stepColumnCodes(db));
}
