/**
 * A kept count of records per address (vocabulary id of message_to), beside the kept address map
 * (memory-cache.ts): the CLI's count of a free word is then the sum over the word's address ids
 * (word-count.ts), without restoring the 20 MB map and passing over its 5M entries.
 *
 * Why (5M rows, copy of the shared case, `count --q jane` CPU profile under load): the map's restore
 * and pass were ~420 of the ~1 050 ms in the engine; this part is ~4 MB (a byte per address id) and
 * its sum over `jane`'s 339 568 ids a few ms.
 *
 * Layout: `counts.address` one byte per vocabulary id (0..254: the count; 255: see the next part),
 * `counts.address.many` pairs (id, count) of the addresses with 255 records or more. Both carry the
 * map's generation and bound: they are written from the same copy, in the same transaction, and read
 * only when the bound equals the vocabulary's coverage now (an append past it: not used).
 * The names do not begin with a memory's name, so restoring the map reads neither.
 */
import type { Database } from 'better-sqlite3';
import type { AddressCopy } from './address-memory';
import { isAscending, sortedDistinct } from './id-lists';
import { CHUNK_BYTES, nameOf, readChunks, uint32View } from './memory-chunks';
import { recordsGeneration } from './records-generation';

export const COUNTS_PART = 'counts.address';
export const MANY_PART = 'counts.address.many';
const MANY = 255;

export interface AddressCounts {
  readonly upto: number;
  readonly n: Uint8Array;
  readonly many: ReadonlyMap<number, number>;
}

/** The parts to keep for a finished address map (record ids 1..upto). */
export function addressCountRows(copy: AddressCopy): [string, number, Buffer][] {
  const { vid, upto } = copy;
  const last = Math.min(upto, vid.length - 1);
  let top = 0;
  for (let id = 1; id <= last; id++) if (vid[id] > top) top = vid[id];
  const n = new Uint8Array(top + 1);
  const many = new Map<number, number>();
  for (let id = 1; id <= last; id++) {
    const v = vid[id];
    if (v === 0) continue;
    if (n[v] < MANY - 1) n[v]++;
    else if (n[v] === MANY - 1) {
      n[v] = MANY;
      many.set(v, MANY);
    } else many.set(v, (many.get(v) ?? 0) + 1);
  }
  const pairs = new Uint32Array(2 * many.size);
  let i = 0;
  for (const [v, c] of many) {
    pairs[i++] = v;
    pairs[i++] = c;
  }
  return [
    [COUNTS_PART, upto, Buffer.from(n.buffer, n.byteOffset, n.byteLength)],
    [MANY_PART, upto, Buffer.from(pairs.buffer, pairs.byteOffset, pairs.byteLength)],
  ];
}

const restored = new WeakMap<Database, AddressCounts>();

/**
 * Reads the kept counts of this records generation into this connection, when both parts are there
 * with one bound equal to `coverage` (the vocabulary's now); true when taken. Call inside the
 * caller's read transaction.
 */
export function restoreAddressCounts(db: Database, table: string, coverage: number): boolean {
  restored.delete(db);
  const parts = readChunks(db, table, recordsGeneration(db), COUNTS_PART);
  const n = parts.get(COUNTS_PART);
  const many = parts.get(MANY_PART);
  if (n === undefined || many === undefined || n.upto !== coverage || many.upto !== coverage) return false;
  if (many.data.length % 8 !== 0) return false;
  const pairs = new Uint32Array(many.data.buffer, many.data.byteOffset, many.data.length / 4);
  const big = new Map<number, number>();
  for (let i = 0; i < pairs.length; i += 2) big.set(pairs[i], pairs[i + 1]);
  restored.set(db, {
    upto: n.upto,
    n: new Uint8Array(n.data.buffer, n.data.byteOffset, n.data.length),
    many: big,
  });
  return true;
}

/** This connection's restored counts, or null. */
export function addressCounts(db: Database): AddressCounts | null {
  return restored.get(db) ?? null;
}

/** Records (ids 1..upto) whose address is one of `vids` (duplicates counted once); null: a part is damaged. */
export function sumAddressCounts(c: AddressCounts, vids: ArrayLike<number>): number | null {
  // Copied unless already ascending: sortedDistinct sorts a list that is not in place.
  const list =
    vids instanceof Uint32Array && isAscending(vids) ? vids : sortedDistinct(Uint32Array.from(vids));
  let sum = 0;
  for (const v of list) {
    if (v <= 0 || v >= c.n.length) continue;
    const k = c.n[v];
    const many = k === MANY ? c.many.get(v) : k;
    if (many === undefined) return null;
    sum += many;
  }
  return sum;
}

const MAP_PART = 'address.vid';

/**
 * Whether the kept map (`address.vid`, `address.vid#1`, ... in `table`) of `generation` holds exactly
 * ids 0..upto, every chunk at its full length. Reads names and lengths only, no blob.
 */
export function keptMapFits(db: Database, table: string, generation: string, upto: number): boolean {
  const rows = db
    .prepare(
      `SELECT name, upto, length(data) AS len FROM ${table} WHERE generation = ? AND (name = ? OR name LIKE ?)`,
    )
    .all(generation, MAP_PART, `${MAP_PART}#%`) as { name: string; upto: number; len: number }[];
  const bytes = 4 * (upto + 1);
  const chunks = Math.ceil(bytes / CHUNK_BYTES);
  if (rows.length !== chunks || rows.some((r) => r.upto !== upto)) return false;
  const lengths = new Map(rows.map((r) => [r.name, r.len]));
  for (let k = 0; k < chunks; k++)
    if (lengths.get(nameOf(MAP_PART, k)) !== Math.min(CHUNK_BYTES, bytes - k * CHUNK_BYTES)) return false;
  return true;
}

/** Reads chunk k of the kept map of `generation` in `table` (entries for ids k * CHUNK_BYTES / 4 ..); null when missing. */
export function keptMapChunks(
  db: Database,
  table: string,
  generation: string,
): (k: number) => Uint32Array | null {
  const read = db.prepare(`SELECT data FROM ${table} WHERE generation = ? AND name = ?`).pluck();
  return (k) => {
    const data = read.get(generation, nameOf(MAP_PART, k)) as Buffer | undefined;
    return data === undefined ? null : uint32View(data);
  };
}

/**
 * The kept map's address ids of these records (all within 1..upto), read from only the chunks of
 * `address.vid` they fall in, without joining them into one array; null when that part is not of this
 * generation and bound, or not whole. For the few records a word finds through other columns (`jane`
 * at 5M rows: 11 839 reply texts), where the map's restore read 20 MB and passed over every record.
 */
export function keptAddressesOf(
  db: Database,
  table: string,
  upto: number,
  ids: readonly number[],
): Uint32Array | null {
  const generation = recordsGeneration(db);
  if (!keptMapFits(db, table, generation, upto)) return null;
  const chunkOf = keptMapChunks(db, table, generation);
  const per = CHUNK_BYTES / 4;
  const loaded = new Map<number, Uint32Array>();
  const out = new Uint32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id < 1 || id > upto) return null;
    const k = Math.floor(id / per);
    let chunk = loaded.get(k);
    if (chunk === undefined) {
      const read = chunkOf(k);
      if (read === null) return null;
      chunk = read;
      loaded.set(k, chunk);
    }
    out[i] = chunk[id - k * per];
  }
  return out;
}
