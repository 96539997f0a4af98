/**
 * The page reader's value codes (query/column-codes.ts), loaded in steps while it is idle
 * (idle-loop.ts); until complete, sorts take the SQL path. Each step's size follows the time the
 * last one took (nextStepSize), so a page asked while they load waits ~20 ms at most, not a whole
 * CODES_CHUNK step.
 */
import type { Database } from 'better-sqlite3';
import { CODES_CHUNK, enableColumnCodes, stepColumnCodes } from '../query/column-codes';
import { idleLoop, nextStepSize } from './idle-loop';

/**
 * The codes wait for a longer pause than IDLE_MS: a window loading asks for its first answers in
 * bursts a few hundred ms apart, and with 250 ms the codes' steps (2.7 s of CPU at 1M rows) ran
 * between them, beside the window's own work (bench at 1M: bundle load ~1140 ms with the readers
 * loading, ~960 ms after). A person reading a result pauses longer than this.
 */
export const CODES_IDLE_MS = 1000;

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
  }, CODES_IDLE_MS);
}
