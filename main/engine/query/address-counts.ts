/**
 * A kept count of records per address (vocabulary id of message_to), beside the kept address map
 * (memory-cache.ts): the CLI's count of a free word is then the sum over the word's address ids
 * (word-count.ts), without restoring the 20 MB map and passing over its 5M entries.
 *
 * Why (5M rows, copy of the shared case, `count --q jane` CPU profile under load): the map's restore
 * and pass were ~420 of the ~1 050 ms in the engine; these parts are 1.8 MB (two bits per address
 * id, see below) and their sum over `jane`'s 339 568 ids a few ms.
 *
 * Layout: `counts.address2` two bits per vocabulary id, four ids a byte from the low bits (0..2: the
 * count; 3: see the next part), `counts.address2.many` pairs (id, count), ids ascending, of the
 * addresses with 3 records or more. Both carry the map's generation and bound: they are written from
 * the same copy, in the same transaction, and read only when the bound equals the vocabulary's
 * coverage now (an append past it: not used). The names do not begin with a memory's name, so
 * restoring the map reads neither.
 *
 * Why two bits (19b): the parts lie beyond the CLI's 2 GB map at 5M rows, so each byte is read by
 * pread and copied; a byte per id (4.1 MB: `counts.address`, until 19b) was 26-244 ms of `count jane`
 * under load. Of its 4.08M addresses 80% have one record, 17% two, 2.4% (99 661) three or more:
 * 1.0 MB and 0.8 MB now. A workspace kept before keeps the old parts under the old names: they are
 * read and packed when the new ones are not there (legacyCounts).
 */
import type { Database } from 'better-sqlite3';
import type { AddressCopy } from './address-memory';
import { isAscending, sortedDistinct } from './id-lists';
import { CHUNK_BYTES, nameOf, readChunks, uint32View } from './memory-chunks';
import { recordsGeneration } from './records-generation';

export const COUNTS_PART = 'counts.address2';
export const MANY_PART = 'counts.address2.many';
/** The two bits' value of an address whose count is in MANY_PART. */
const MANY = 3;

export interface AddressCounts {
  readonly upto: number;
  /** Two bits per vocabulary id (see the layout above). */
  readonly packed: Uint8Array;
  /** MANY_PART's pairs (id, count), ids ascending. */
  readonly many: Uint32Array;
}

/**
 * The records per address of a map's ids 1..upto as the parts before 19b held them: a byte per
 * vocabulary id (255: the count is `over`'s; no address at 5M rows has that many).
 */
export function byteCounts(vid: Uint32Array, upto: number): { n: Uint8Array; over: Map<number, number> } {
  const last = Math.min(upto, vid.length - 1);
  let top = 0;
  for (let id = 1; id <= last; id++) if (vid[id] > top) top = vid[id];
  const n = new Uint8Array(top + 1);
  const over = new Map<number, number>();
  for (let id = 1; id <= last; id++) {
    const v = vid[id];
    if (v === 0) continue;
    if (n[v] < 254) n[v]++;
    else {
      n[v] = 255;
      over.set(v, (over.get(v) ?? 254) + 1);
    }
  }
  return { n, over };
}

/** The parts to keep for a finished address map (record ids 1..upto). */
export function addressCountRows(copy: AddressCopy): [string, number, Buffer][] {
  const { n, over } = byteCounts(copy.vid, copy.upto);
  const { packed, many } = packCounts(n, over);
  return [
    [COUNTS_PART, copy.upto, Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength)],
    [MANY_PART, copy.upto, Buffer.from(many.buffer, many.byteOffset, many.byteLength)],
  ];
}

/** Two bits per id of a byte per id (255: the count is `over`'s), and the pairs of counts of 3 or more. */
function packCounts(
  n: Uint8Array,
  over: ReadonlyMap<number, number>,
): { packed: Uint8Array; many: Uint32Array } {
  const top = Math.max(0, n.length - 1);
  const packed = new Uint8Array((top >>> 2) + 1);
  const pairs: number[] = [];
  for (let v = 1; v <= top; v++) {
    const k = n[v] === 255 ? over.get(v) : n[v];
    if (k === undefined) throw new Error(`no count for address ${v}`);
    if (k >= MANY) pairs.push(v, k);
    packed[v >>> 2] |= Math.min(k, MANY) << ((v & 3) << 1);
  }
  return { packed, many: Uint32Array.from(pairs) };
}

/** The parts kept before 19b: a byte per id (255: see the pairs (id, count) of LEGACY_MANY). */
export const LEGACY_PART = 'counts.address';
export const LEGACY_MANY = 'counts.address.many';

/**
 * The counts of a workspace kept before 19b, packed here in one pass (5M rows: 4.1 MB read, as
 * before), so that its CLI count of a word does not fall back to the 20 MB map until its next import
 * keeps the two-bit parts; null when a part is missing, of another bound, or damaged.
 */
function legacyCounts(
  db: Database,
  table: string,
  generation: string,
  coverage: number,
): AddressCounts | null {
  const parts = readChunks(db, table, generation, LEGACY_PART);
  const n = parts.get(LEGACY_PART);
  const many = parts.get(LEGACY_MANY);
  if (n === undefined || many === undefined || n.upto !== coverage || many.upto !== coverage) return null;
  if (many.data.length % 8 !== 0) return null;
  const pairs = uint32View(many.data);
  const over = new Map<number, number>();
  for (let i = 0; i < pairs.length; i += 2) over.set(pairs[i], pairs[i + 1]);
  try {
    const { packed, many: packedMany } = packCounts(
      new Uint8Array(n.data.buffer, n.data.byteOffset, n.data.length),
      over,
    );
    return { upto: n.upto, packed, many: packedMany };
  } catch {
    return null;
  }
}

/**
 * The counts of the two parts' bytes; null when the pairs are not whole. The pairs are searched as
 * they are, not checked or split first: a fresh CLI process ran such a loop over 99 661 pairs
 * unoptimised (~26 ms under load at 5M rows); pairs out of order only make a lookup miss (no count).
 */
export function countsOfParts(upto: number, packed: Buffer, many: Buffer): AddressCounts | null {
  if (many.length % 8 !== 0) return null;
  return {
    upto,
    packed: new Uint8Array(packed.buffer, packed.byteOffset, packed.length),
    many: uint32View(many),
  };
}

const restored = new WeakMap<Database, AddressCounts>();

/**
 * Reads the kept counts of this records generation into this connection, when both parts are there
 * with one bound equal to `coverage` (the vocabulary's now); true when taken. Call inside the
 * caller's read transaction.
 */
export function restoreAddressCounts(db: Database, table: string, coverage: number): boolean {
  restored.delete(db);
  const generation = recordsGeneration(db);
  const parts = readChunks(db, table, generation, COUNTS_PART);
  const n = parts.get(COUNTS_PART);
  const many = parts.get(MANY_PART);
  let counts: AddressCounts | null = null;
  if (n === undefined && many === undefined) counts = legacyCounts(db, table, generation, coverage);
  else if (n !== undefined && many !== undefined && n.upto === coverage && many.upto === coverage)
    counts = countsOfParts(n.upto, n.data, many.data);
  if (counts === null) return false;
  restored.set(db, counts);
  return true;
}

/** This connection's restored counts, or null. */
export function addressCounts(db: Database): AddressCounts | null {
  return restored.get(db) ?? null;
}

/** The count paired with `v` in `pairs` (id, count; ids ascending), or -1. */
function pairedCount(pairs: Uint32Array, v: number): number {
  let lo = 0;
  let hi = (pairs.length >>> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const id = pairs[2 * mid];
    if (id === v) return pairs[2 * mid + 1];
    if (id < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Records (ids 1..upto) whose address is one of `vids` (duplicates counted once); null: a part is damaged. */
export function sumAddressCounts(c: AddressCounts, vids: ArrayLike<number>): number | null {
  // Copied unless already ascending: sortedDistinct sorts a list that is not in place.
  const list =
    vids instanceof Uint32Array && isAscending(vids) ? vids : sortedDistinct(Uint32Array.from(vids));
  const { packed, many } = c;
  const end = packed.length << 2;
  let sum = 0;
  // Indexed, not for-of: the first call of a CLI process runs this loop before it is optimised.
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (v <= 0 || v >= end) continue;
    const k = (packed[v >>> 2] >>> ((v & 3) << 1)) & 3;
    if (k !== MANY) sum += k;
    else {
      const kept = pairedCount(many, v);
      if (kept < 0) return null;
      sum += kept;
    }
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
