/**
 * Loads the page reader's value codes (query/column-codes.ts) in steps while it is idle, now and
 * whenever the returned function (called after each answer) finds them behind an import. Same
 * rhythm as the facts mirror of the aggregate reader (entry.ts): a step only after IDLE_MS without a
 * request, so back-to-back pages are not slowed; until complete, sorts take the SQL path.
 */
import type { Database } from 'better-sqlite3';
import { enableColumnCodes, stepColumnCodes } from '../query/column-codes';

const IDLE_MS = 250;

export function startColumnCodes(db: Database): () => void {
  enableColumnCodes(db);
  let running = false;
  let lastAnswer = performance.now();
  const step = (): void => {
    const wait = lastAnswer + IDLE_MS - performance.now();
    if (wait > 0) {
      setTimeout(step, wait);
      return;
    }
    let more: boolean;
    try {
      more = stepColumnCodes(db);
    } catch {
      // Only a speed-up: a failed read leaves the SQL path answering, and the next request retries.
      more = false;
    }
    if (more) setImmediate(step);
    else running = false;
  };
  const kick = (): void => {
    lastAnswer = performance.now();
    if (running) return;
    running = true;
    setTimeout(step, IDLE_MS);
  };
  kick();
  return kick;
}
