/**
 * A checkpoint beside the search-index build. Right after an import commits, the WAL holds the whole
 * file (about 1 GB per million rows); letting the next commit checkpoint it put ~2 s of copying on
 * the importing thread. A PASSIVE checkpoint from its own connection in a worker thread does it on
 * the other core instead, while the writer keeps appending to the WAL.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

export interface BackgroundCheckpoint {
  /** Resolves when the worker has finished (true when the checkpoint ran); never rejects. */
  readonly done: Promise<boolean>;
}

/** Starts the checkpoint; null for databases without a WAL file (in-memory or other journal modes). */
export function startCheckpoint(db: Database): BackgroundCheckpoint | null {
  if (db.memory || db.name === '') return null;
  const mode = db.pragma('journal_mode', { simple: true }) as string;
  if (mode.toLowerCase() !== 'wal') return null;
  const worker = new Worker(path.join(__dirname, 'checkpoint-worker.js'), {
    workerData: db.name,
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
  });
  const done = new Promise<boolean>((resolve) => {
    worker.once('message', (ok: boolean) => resolve(ok));
    worker.once('error', () => resolve(false));
    worker.once('exit', () => resolve(false));
  });
  return { done };
}
