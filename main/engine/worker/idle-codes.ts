/**
 * The page reader's value codes (query/column-codes.ts) and the unique columns' bucket codes
 * (query/unique-codes.ts), loaded in steps while it is idle (idle-loop.ts); until complete, sorts
 * take the SQL path. Each step's size follows the time the last one took (step-size.ts), so a page
 * asked while they load waits ~20 ms, not a whole CODES_CHUNK step.
 */
import type { Database } from 'better-sqlite3';
import { enableColumnCodes, stepColumnCodes } from '../query/column-codes';
import { enableUniqueCodes, stepUniqueCodes } from '../query/unique-codes';
import { enableStatusMarks, stepStatusMarks } from '../query/status-marks';
import { idleLoop } from './idle-loop';

/**
 * The codes wait for a longer pause than IDLE_MS: a window loading asks for its first answers in
 * bursts a few hundred ms apart, and with 250 ms the codes' steps (2.7 s of CPU at 1M rows) ran
 * between them, beside the window's own work (bench at 1M: bundle load ~1140 ms with the readers
 * loading, ~960 ms after). A person reading a result pauses longer than this.
 */
export const CODES_IDLE_MS = 1000;

export function startColumnCodes(db: Database): () => void {
  enableColumnCodes(db);
  enableUniqueCodes(db);
  enableStatusMarks(db);
  // The value codes first: they serve ten columns; the bucket codes two; then the status columns'
  // marks (5M: about a second of steps). Last, because an append makes the marks start over: during
  // an import the codes' steps keep up with it, and the marks wait until the records stop changing.
  return idleLoop(() => stepColumnCodes(db) || stepUniqueCodes(db) || stepStatusMarks(db), CODES_IDLE_MS);
}
