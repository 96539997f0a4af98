/**
 * record_facts mirrored in the memory of the reader that answers counts, facets and histograms:
 * each covered record's time and combo id in two typed arrays indexed by record id. The facets and
 * histogram of an id set are then a loop over the ids instead of a probe of record_facts per id.
 *
 * Why: for `jane` at 5M rows (~415k matches) that probe took 1.0-1.7 s (~2 us a record through
 * SQLite), the most of the 1.2 s its four requests took together on a quiet machine.
 *
 * Memory: 10 bytes per record id (Float64 time, Uint16 combo id; Uint32 once a workspace has more
 * than 65 535 combos), i.e. ~10 MB at 1M records and ~50 MB at 5M, on one reader only.
 *
 * Kept exact: the mirror belongs to one records generation (records-generation.ts; bumped whenever
 * records are deleted and whenever record_facts is emptied, which renumbers fact_combos), and covers
 * record_facts up to `upto`. A newer generation drops it; records the writer adds above `upto` are
 * loaded on (a small delta at once, within the request; a larger one in steps while the reader is
 * idle, worker/entry.ts), and until the mirror covers what record_facts covers, callers take the
 * SQL path.
 */
import type { Database } from 'better-sqlite3';
import { settleMemory } from './memory-pending';
import { currentCopy, recordsGeneration } from './records-generation';

interface Mirror {
  readonly generation: string;
  /** record_facts rows with id <= upto are in the arrays (0 for an id without a row). */
  upto: number;
  /** null: restored without times (restoreFactsMemory), for counts by combo only. */
  t: Float64Array | null;
  cid: Uint16Array | Uint32Array;
}

/** Ids read per step (~0.7 us each, 1M rows at load ~2): a request arriving mid-step waits ~15 ms. */
export const MIRROR_CHUNK = 20_000;

const mirrors = new WeakMap<Database, Mirror>();
const enabled = new WeakSet<Database>();

/** Lets this connection keep a mirror (the aggregate reader only: each mirror costs ~10 bytes a record). */
export function enableFactsMemory(db: Database): void {
  enabled.add(db);
}

function grow(m: Mirror, size: number): void {
  if (size <= m.cid.length) return;
  const n = Math.max(size, Math.ceil(m.cid.length * 1.5));
  if (m.t !== null) {
    const t = new Float64Array(n);
    t.set(m.t);
    m.t = t;
  }
  const cid = m.cid instanceof Uint16Array ? new Uint16Array(n) : new Uint32Array(n);
  cid.set(m.cid);
  m.cid = cid;
}

/** Reads record_facts rows with lo < id <= hi into the mirror (inside the caller's read transaction). */
function load(db: Database, m: Mirror, lo: number, hi: number): void {
  const [idJson, tJson, cidJson] = db
    .prepare(
      'SELECT json_group_array(id), json_group_array(t), json_group_array(cid) FROM record_facts WHERE id > ? AND id <= ?',
    )
    .raw()
    .get(lo, hi) as [string, string, string];
  // JSON arrays: one string per column instead of a JS row object per record (measured at 1M rows
  // under load: 0.74 s against 1.23 s for iterate()).
  const ids = JSON.parse(idJson) as number[];
  const ts = JSON.parse(tJson) as (number | null)[];
  const cids = JSON.parse(cidJson) as number[];
  if (ids.length > 0) grow(m, ids[ids.length - 1] + 1);
  if (m.cid instanceof Uint16Array && cids.some((c) => c > 0xffff)) m.cid = Uint32Array.from(m.cid);
  const { t } = m;
  for (let i = 0; i < ids.length; i++) {
    if (t !== null) t[ids[i]] = ts[i] ?? NaN;
    m.cid[ids[i]] = cids[i];
  }
  m.upto = hi;
}

/**
 * One step of bringing the mirror up to `coverage` (record_facts' facts_upto), in one read
 * transaction; true while more steps are needed. For the worker's idle loop.
 */
export function stepFactsMemory(db: Database, coverage: () => number): boolean {
  if (!enabled.has(db)) return false;
  settleMemory(db, 'facts');
  return db.transaction(() => {
    const upto = coverage();
    const m = currentCopy(db, mirrors, upto, (generation) => ({
      generation,
      upto: 0,
      t: new Float64Array(upto + 1),
      cid: new Uint16Array(upto + 1),
    }));
    if (m === null || m.upto >= upto) return false;
    load(db, m, m.upto, Math.min(upto, m.upto + MIRROR_CHUNK));
    return m.upto < upto;
  })();
}

export interface FactsMirror {
  /** null: a mirror of combos only (a restore without times, see restoreFactsMemory). */
  readonly t: Float64Array | null;
  readonly cid: Uint16Array | Uint32Array;
}

/**
 * The mirror when it holds every record_facts row up to `coverage` of this generation, else null
 * (the caller reads record_facts). Call inside the caller's read transaction, so the mirror and the
 * caller's other reads see the same commit. A delta of at most one step is loaded here.
 */
export function factsMirror(db: Database, coverage: number): FactsMirror | null {
  settleMemory(db, 'facts');
  const m = mirrors.get(db);
  if (m === undefined || coverage === 0 || m.upto > coverage || m.generation !== recordsGeneration(db))
    return null;
  if (m.upto < coverage) {
    if (coverage - m.upto > MIRROR_CHUNK) return null;
    load(db, m, m.upto, coverage);
  }
  return m;
}

/** The mirror's records up to `upto` of one generation, as memory-cache.ts keeps and restores them. */
export interface FactsCopy {
  readonly generation: string;
  readonly upto: number;
  readonly t: Float64Array;
  readonly cid: Uint16Array | Uint32Array;
}

/** This connection's mirror when it holds every record_facts row up to `coverage`, else null. */
export function factsMemoryCopy(db: Database, coverage: number): FactsCopy | null {
  settleMemory(db, 'facts');
  const m = mirrors.get(db);
  if (m === undefined || m.t === null || m.upto !== coverage || m.generation !== recordsGeneration(db))
    return null;
  return {
    generation: m.generation,
    upto: m.upto,
    t: m.t.subarray(0, m.upto + 1),
    cid: m.cid.subarray(0, m.upto + 1),
  };
}

/**
 * Takes a kept copy as this connection's mirror (memory-cache.ts has checked it belongs to the
 * current generation and covers no more than record_facts does); the steps load what lies above it.
 * Without times (`t` null: the CLI's facets of free words, cli/kept-memories.ts) only the counts by
 * combo use it (record-facts.ts idSetCombos 'counts'); every reader of times takes its SQL path.
 */
export function restoreFactsMemory(
  db: Database,
  copy: Omit<FactsCopy, 't'> & { readonly t: Float64Array | null },
): void {
  if (!enabled.has(db)) return;
  mirrors.set(db, { ...copy });
}

/** Forgets the mirror (tests use it to compare both paths). */
export function dropFactsMemory(db: Database): void {
  mirrors.delete(db);
}
