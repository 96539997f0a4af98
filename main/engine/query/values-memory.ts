/**
 * Each record's sender (as a code into a dictionary of the distinct senders) and message size, in
 * typed arrays indexed by record id, in the memory of the aggregate reader (as facts-memory.ts keeps
 * time and combo). A `from:` or `size` term is then a test per id in memory (value-terms.ts).
 *
 * Why: no index holds the sender, and `size>100000` matches most records, so both read their ids
 * by a scan of the ~900-byte table rows: at 5M rows `from:news` took 1.9 s and `size>100000` 1.7 s
 * of CPU for the id set alone (under load), more than the whole search's target.
 *
 * Memory: 10 bytes a record (Float64 size, NaN for none; Uint16 sender code, Uint32 past 65 535
 * senders), ~50 MB at 5M, on one reader only. Loaded while the reader is idle (worker/entry.ts), in
 * steps of VALUES_CHUNK ids, each a read of that id range of `records` (~30 ms under load).
 *
 * Kept exact as the facts mirror is: it belongs to one records generation (records-generation.ts,
 * bumped whenever records are deleted), covers the records up to record_facts' coverage (imports
 * finished, their duplicates removed; a sender or size is never changed after), and loads a small
 * delta above it within the request. With records above the coverage the caller takes the SQL path.
 */
import type { Database } from 'better-sqlite3';
import { settleMemory } from './memory-pending';
import { currentCopy, recordsGeneration, maxRecordId } from './records-generation';

/** Ids per step: a request arriving mid-step waits for at most one (~30 ms under load at 5M rows). */
export const VALUES_CHUNK = 10_000;
/** More distinct senders than this and the dictionary is dropped: testing each per search would cost more than it saves. */
export const MAX_SENDERS = 100_000;

interface Values {
  readonly generation: string;
  /** Every record with id <= upto is in the arrays. */
  upto: number;
  size: Float64Array;
  sender: Uint16Array | Uint32Array;
  /** Sender of each code from 2; code 1 is no sender (NULL), code 0 no record (ids not in records). */
  readonly senders: (string | null)[];
  readonly codeOf: Map<string, number>;
  /** A value the typed arrays cannot hold as SQLite compares it (a size stored as text): unusable. */
  broken: boolean;
  /**
   * Restored without the sizes (the CLI's `from:` searches: 10 of the 50 MB at 5M records); `size`
   * is then empty and the mirror answers no size term and is never kept (valuesMemoryCopy).
   */
  readonly sizeless: boolean;
  /** Likewise without the senders (the CLI's size bounds: 40 of the 50 MB); `sender` is then empty. */
  readonly senderless: boolean;
}

const mirrors = new WeakMap<Database, Values>();
const enabled = new WeakSet<Database>();

/** Lets this connection keep the mirror (the aggregate reader only). */
export function enableValuesMemory(db: Database): void {
  enabled.add(db);
}

function grow(m: Values, size: number): void {
  // The part not held is empty.
  const held = Math.max(m.size.length, m.sender.length);
  if (size <= held) return;
  const n = Math.max(size, Math.ceil(held * 1.5));
  if (!m.sizeless) {
    const s = new Float64Array(n).fill(NaN);
    s.set(m.size);
    m.size = s;
  }
  if (m.senderless) return;
  const c = m.sender instanceof Uint16Array ? new Uint16Array(n) : new Uint32Array(n);
  c.set(m.sender);
  m.sender = c;
}

/** Reads records lo < id <= hi into the mirror (inside the caller's read transaction). */
function load(db: Database, m: Values, lo: number, hi: number): void {
  const [idJson, fromJson, sizeJson] = db
    .prepare(
      `SELECT json_group_array(id), json_group_array(message_from), json_group_array(message_size)
       FROM records WHERE id > ? AND id <= ?`,
    )
    .raw()
    .get(lo, hi) as [string, string, string];
  // JSON arrays: one string per column instead of a JS row object per record (facts-memory.ts).
  const ids = JSON.parse(idJson) as number[];
  const froms = JSON.parse(fromJson) as (string | null)[];
  const sizes = JSON.parse(sizeJson) as unknown[];
  if (ids.length > 0) grow(m, ids[ids.length - 1] + 1);
  for (let i = 0; i < ids.length; i++) {
    const size = sizes[i];
    if (m.sizeless) {
      // No sizes held: nothing to write.
    } else if (size === null) m.size[ids[i]] = NaN;
    else if (typeof size === 'number') m.size[ids[i]] = size;
    else m.broken = true;
    if (m.senderless) continue;
    const from = froms[i];
    let code = 1;
    if (from !== null) {
      code = m.codeOf.get(from) ?? 0;
      if (code === 0) {
        code = m.senders.length;
        m.senders.push(from);
        m.codeOf.set(from, code);
        if (code > 0xffff && m.sender instanceof Uint16Array) m.sender = Uint32Array.from(m.sender);
      }
    }
    m.sender[ids[i]] = code;
  }
  if (m.senders.length > MAX_SENDERS) m.broken = true;
  m.upto = hi;
}

/**
 * One step of bringing the mirror up to `coverage` (record_facts' facts_upto: records of finished
 * imports, after an import's duplicates are removed), in one read transaction; true while more
 * steps are needed. For the worker's idle loop.
 */
export function stepValuesMemory(db: Database, coverage: () => number): boolean {
  if (!enabled.has(db)) return false;
  settleMemory(db, 'values');
  return db.transaction(() => {
    const upto = coverage();
    const m = currentCopy(db, mirrors, upto, (generation) => ({
      generation,
      upto: 0,
      size: new Float64Array(upto + 1).fill(NaN),
      sender: new Uint16Array(upto + 1),
      senders: [null, null],
      codeOf: new Map(),
      broken: false,
      sizeless: false,
      senderless: false,
    }));
    if (m === null || m.broken || m.upto >= upto) return false;
    load(db, m, m.upto, Math.min(upto, m.upto + VALUES_CHUNK));
    return m.upto < upto;
  })();
}

export interface ValuesMirror {
  readonly size: Float64Array;
  readonly sender: Uint16Array | Uint32Array;
  readonly senders: readonly (string | null)[];
}

/**
 * The mirror when it holds every record of this generation up to `coverage` and no record lies above
 * it (an import whose facts are pending: the SQL path answers), loading a delta of at most one step;
 * else null. Call inside the caller's read transaction.
 */
export function valuesMirror(
  db: Database,
  coverage: number,
  sizes = true,
  senders = true,
): ValuesMirror | null {
  settleMemory(db, 'values');
  const m = mirrors.get(db);
  if (m === undefined || m.broken || coverage === 0 || m.upto > coverage) return null;
  if ((sizes && m.sizeless) || (senders && m.senderless)) return null;
  if (m.generation !== recordsGeneration(db) || maxRecordId(db) > coverage) return null;
  if (m.upto < coverage) {
    if (coverage - m.upto > VALUES_CHUNK) return null;
    load(db, m, m.upto, coverage);
    if (m.broken) return null;
  }
  return m;
}

/** The senders and sizes up to `upto` of one generation, as memory-cache.ts keeps and restores them. */
export interface ValuesCopy {
  readonly generation: string;
  readonly upto: number;
  readonly size: Float64Array;
  readonly sender: Uint16Array | Uint32Array;
  /** Sender of each code (codes 0 and 1: null). */
  readonly senders: readonly (string | null)[];
}

/** This connection's copy when it holds every record up to `coverage` and is usable, else null. */
export function valuesMemoryCopy(db: Database, coverage: number): ValuesCopy | null {
  settleMemory(db, 'values');
  const m = mirrors.get(db);
  if (m === undefined || m.broken || m.sizeless || m.senderless || m.upto !== coverage) return null;
  if (m.generation !== recordsGeneration(db)) return null;
  return {
    generation: m.generation,
    upto: m.upto,
    size: m.size.subarray(0, m.upto + 1),
    sender: m.sender.subarray(0, m.upto + 1),
    senders: m.senders,
  };
}

/** Takes a kept copy (checked by memory-cache.ts as for the facts mirror); the steps load the rest. */
export function restoreValuesMemory(
  db: Database,
  copy: Omit<ValuesCopy, 'size' | 'sender'> & {
    readonly size: Float64Array | null;
    readonly sender: Uint16Array | Uint32Array | null;
  },
): void {
  if (!enabled.has(db)) return;
  const senders = [...copy.senders];
  const codeOf = new Map<string, number>();
  for (let code = 2; code < senders.length; code++) {
    const s = senders[code];
    if (s !== null) codeOf.set(s, code);
  }
  mirrors.set(db, {
    ...copy,
    size: copy.size ?? new Float64Array(0),
    sender: copy.sender ?? new Uint16Array(0),
    senders,
    codeOf,
    broken: false,
    sizeless: copy.size === null,
    senderless: copy.sender === null,
  });
}

/** Forgets the mirror (tests use it to compare both paths). */
export function dropValuesMemory(db: Database): void {
  mirrors.delete(db);
}
