/**
 * The aggregate reader's restore of the kept copies (memory-cache.ts) in steps of one chunk each
 * (memory-chunks.ts: 4 MiB), run between requests from the moment the reader opens, memory by memory
 * (facts, address, values). A request that reads none of the memories is answered without waiting
 * for it; one that reads a memory has that memory's rest read at once, within its own read
 * transaction (memory-pending.ts), and waits for nothing else.
 *
 * Why: the restore in one go ran before the first request, and every request of the first search
 * waited for all of it, though most filters read no memory at all (every enum, time and domain
 * filter, and no filter: the summaries answer them). Measured before (see README, 12r): the first
 * search after open at 5M rows 790 ms, of which the restore 673 ms (~120 MB of copies).
 *
 * Exact as the restore in one go: each chunk is read only under the generation and bound the plan
 * found (a chunk rewritten since with another bound or generation is not found, and that memory is
 * left to the load steps); two writes of one generation and bound hold the same bytes (the argument of
 * memory-cache.ts), so chunks read across commits fit together; and a memory is installed only after
 * the generation is checked again in the same read transaction, with installMemory's checks of
 * coverage and lengths.
 */
import type { Database } from 'better-sqlite3';
import { hasKeptTable, MEMORY_CACHE_TABLE, noteRestored } from './memory-cache';
import { nameOf, type Part } from './memory-chunks';
import { installMemory, MEMORY_ORDER, MEMORY_PARTS } from './memory-install';
import { restorePending, setPendingRestore, type MemoryName } from './memory-pending';
import { recordsGeneration } from './records-generation';

interface ArrayRead {
  readonly name: string;
  /** Bytes of each chunk, in order. */
  readonly lengths: readonly number[];
  /** The whole array once its first chunk is read (a single chunk: that chunk's own buffer). */
  data: Buffer | null;
  /** Chunks read so far. */
  next: number;
  /** Bytes read so far. */
  at: number;
}

interface MemoryRead {
  readonly name: MemoryName;
  readonly upto: number;
  readonly arrays: readonly ArrayRead[];
  state: 'reading' | 'done' | 'failed';
}

interface Job {
  readonly generation: string;
  readonly memories: readonly MemoryRead[];
}

const jobs = new WeakMap<Database, Job>();

/** The restore in progress; none once restoreMemories took the copies in one go (it clears the pending mark). */
function current(db: Database): Job | undefined {
  if (restorePending(db)) return jobs.get(db);
  jobs.delete(db);
  return undefined;
}

interface ChunkRow {
  readonly name: string;
  readonly upto: number;
  readonly blob: number;
  readonly bytes: number;
}

/** The array's chunks when they are 0..k-1, all blobs of one bound; else null. */
function arrayOf(base: string, rows: readonly ChunkRow[]): { upto: number; lengths: number[] } | null {
  const own = rows.filter((r) => r.name === base || r.name.startsWith(`${base}#`));
  if (own.length === 0 || own.some((r) => r.blob !== 1 || r.upto !== own[0].upto)) return null;
  const lengths: number[] = [];
  for (let i = 0; i < own.length; i++) {
    const row = own.find((r) => r.name === nameOf(base, i));
    if (row === undefined) return null;
    lengths.push(row.bytes);
  }
  return { upto: own[0].upto, lengths };
}

/** What is kept for the current generation, memory by memory (sizes only: no blob is read). */
function plan(db: Database): Job | null {
  if (!hasKeptTable(db)) return null;
  const generation = recordsGeneration(db);
  // typeof() and length() of a blob column read no overflow page.
  const rows = db
    .prepare(
      `SELECT name, upto, typeof(data) = 'blob' AS blob, length(data) AS bytes
       FROM ${MEMORY_CACHE_TABLE} WHERE generation = ?`,
    )
    .all(generation) as ChunkRow[];
  const memories: MemoryRead[] = [];
  for (const name of MEMORY_ORDER) {
    const arrays = MEMORY_PARTS[name].map((base) => ({ base, found: arrayOf(base, rows) }));
    const upto = arrays[0].found?.upto;
    if (upto === undefined || arrays.some((a) => a.found?.upto !== upto)) continue;
    memories.push({
      name,
      upto,
      state: 'reading',
      arrays: arrays.map((a) => ({
        name: a.base,
        lengths: a.found?.lengths ?? [],
        data: null,
        next: 0,
        at: 0,
      })),
    });
  }
  return { generation, memories };
}

/** Reads the next chunk of memory `m`, or installs it once every chunk is read. */
function advance(db: Database, job: Job, m: MemoryRead): void {
  const a = m.arrays.find((x) => x.next < x.lengths.length);
  if (a === undefined) {
    install(db, job, m);
    return;
  }
  const chunk = db
    .prepare(`SELECT data FROM ${MEMORY_CACHE_TABLE} WHERE name = ? AND generation = ? AND upto = ?`)
    .pluck()
    .get(nameOf(a.name, a.next), job.generation, m.upto);
  if (!Buffer.isBuffer(chunk) || chunk.length !== a.lengths[a.next]) {
    m.state = 'failed';
    return;
  }
  if (a.lengths.length === 1) a.data = chunk;
  else {
    // One buffer of its own for the whole array (aligned: the typed array is a view of it).
    a.data ??= Buffer.from(new ArrayBuffer(a.lengths.reduce((n, k) => n + k, 0)));
    chunk.copy(a.data, a.at);
  }
  a.at += chunk.length;
  a.next++;
}

function install(db: Database, job: Job, m: MemoryRead): void {
  db.transaction(() => {
    if (recordsGeneration(db) !== job.generation) {
      for (const x of job.memories) if (x.state === 'reading') x.state = 'failed';
      m.state = 'failed';
      return;
    }
    const parts = new Map<string, Part>();
    for (const a of m.arrays)
      if (a.data !== null) parts.set(a.name, { generation: job.generation, upto: m.upto, data: a.data });
    const upto = installMemory(db, job.generation, parts, m.name);
    m.state = upto === null ? 'failed' : 'done';
    if (upto !== null) noteRestored(db, job.generation, { [m.name]: upto });
  })();
}

function finishIfDone(db: Database, job: Job): boolean {
  if (job.memories.some((m) => m.state === 'reading')) return false;
  if (jobs.get(db) === job) {
    jobs.delete(db);
    setPendingRestore(db, null);
  }
  return true;
}

/** Memory `name` restored now (the rest of its chunks read), when this job still restores it. */
function settle(db: Database, job: Job, name: MemoryName): void {
  if (jobs.get(db) !== job) return;
  try {
    const m = job.memories.find((x) => x.name === name);
    while (m !== undefined && m.state === 'reading') advance(db, job, m);
    finishIfDone(db, job);
  } catch {
    // Only a speed-up: the request goes on without the memory (the SQL path), the load steps load it.
    giveUp(db, job);
  }
}

function giveUp(db: Database, job: Job): void {
  for (const m of job.memories) if (m.state === 'reading') m.state = 'failed';
  finishIfDone(db, job);
}

/**
 * Plans the restore of what is kept for this connection's workspace (the memories enabled first),
 * replacing one in progress; false when nothing is kept. Then stepStagedRestore reads it.
 */
export function beginStagedRestore(db: Database): boolean {
  jobs.delete(db);
  setPendingRestore(db, null);
  const job = db.transaction(() => plan(db))();
  if (job === null) return false;
  noteRestored(db, job.generation, {});
  if (job.memories.length === 0) return false;
  jobs.set(db, job);
  setPendingRestore(db, (name) => settle(db, job, name));
  return true;
}

/** One chunk of the restore in progress (or one memory installed); true while more is left. */
export function stepStagedRestore(db: Database): boolean {
  const job = current(db);
  if (job === undefined) return false;
  const m = job.memories.find((x) => x.state === 'reading');
  if (m !== undefined) advance(db, job, m);
  return !finishIfDone(db, job);
}

/**
 * Plans the restore at once (no blob is read) and runs its steps each in a task of its own, so
 * requests are answered in between. Planned before the reader reports ready, not in its first task:
 * a reader told to open by a message (worker/host.ts) can get the first requests in the same batch of
 * messages, all answered before any task runs; planned in a task, the restore was not pending yet for
 * them and the first one took the copies in one go (memory-refresh.ts; 1M rows under load: 250-360
 * ms before the unfiltered search's count), then the task read them all again.
 */
export function restoreInSteps(db: Database, schedule: (run: () => void) => void = setImmediate): void {
  const run = (): void => {
    let more = false;
    try {
      more = stepStagedRestore(db);
    } catch {
      // Only a speed-up: a failed read leaves the load steps (and the SQL path meanwhile).
      const job = jobs.get(db);
      if (job !== undefined) giveUp(db, job);
    }
    if (more) schedule(run);
  };
  try {
    if (beginStagedRestore(db)) schedule(run);
  } catch {
    // As above: nothing kept is readable, the load steps do the work.
  }
}

/** Each memory's state in the restore in progress, null when none runs (tests order steps and requests). */
export function stagedProgress(db: Database): Partial<Record<MemoryName, MemoryRead['state']>> | null {
  const job = current(db);
  return job === undefined ? null : Object.fromEntries(job.memories.map((m) => [m.name, m.state]));
}
