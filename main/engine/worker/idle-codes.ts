/**
 * The page reader's value codes (query/column-codes.ts) and the unique columns' bucket codes
 * (query/unique-codes.ts), loaded in steps while it is idle (idle-loop.ts); until complete, sorts
 * take the SQL path.
 */
import type { Database } from 'better-sqlite3';
import { enableColumnCodes, stepColumnCodes } from '../query/column-codes';
import { enableUniqueCodes, stepUniqueCodes } from '../query/unique-codes';
import { idleLoop } from './idle-loop';

export function startColumnCodes(db: Database): () => void {
  enableColumnCodes(db);
  enableUniqueCodes(db);
  // The value codes first: they serve ten columns; the bucket codes two.
  return idleLoop(() => stepColumnCodes(db) || stepUniqueCodes(db));
}
