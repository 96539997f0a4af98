/**
 * The page reader's value codes (query/column-codes.ts), loaded in steps while it is idle
 * (idle-loop.ts); until complete, sorts take the SQL path. Each step's size follows the time the
 * last one took (nextStepSize), so a page asked while they load waits ~20 ms at most, not a whole
 * CODES_CHUNK step.
 */
import type { Database } from 'better-sqlite3';
import { CODES_CHUNK, enableColumnCodes, stepColumnCodes } from '../query/column-codes';
import { idleLoop, nextStepSize } from './idle-loop';

/** Smallest step: below it the per-step statement costs more than the records it reads. */
const MIN_CODES_STEP = 500;

export function startColumnCodes(db: Database): () => void {
  enableColumnCodes(db);
  // Small at first: the window's first pages are asked while the first steps run.
  let size = CODES_CHUNK / 4;
  return idleLoop(() => {
    const t0 = performance.now();
    const more = stepColumnCodes(db, size);
    size = nextStepSize(size, performance.now() - t0, MIN_CODES_STEP, CODES_CHUNK);
    return more;
  });
}
