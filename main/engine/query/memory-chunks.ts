/**
 * The kept memories' arrays (memory-cache.ts) stored in chunks of at most CHUNK_BYTES: part `name`
 * holds the first, `name#1`, `name#2`, ... the rest. A workspace written before had one row per
 * array, which reads as a single chunk.
 *
 * Why: binding a whole array as one blob made SQLite copy it twice while writing (the bound value and
 * the record built from it), ~80 MB for the 40 MB time array at 5M records, on top of the arrays
 * themselves: the import's memories phase (import/keep-memories.ts) took the 5M import's peak RSS
 * past its 300 MB target (363 MB under load). In chunks the copies are 4 MiB each.
 */
import type { Database } from 'better-sqlite3';

export const CHUNK_BYTES = 4 * 2 ** 20;

/**
 * The table of the kept parts (memory-cache.ts says why it is a rowid table). Here, with no imports,
 * so that the token dictionary's parts (word-records.ts) name it without importing the memories.
 */
export const MEMORY_CACHE_TABLE = 'memory_kept';

export interface Part {
  readonly generation: string;
  readonly upto: number;
  readonly data: Buffer;
}

/** The row name of chunk `i` of array `base`. */
export function nameOf(base: string, i: number): string {
  return i === 0 ? base : `${base}#${i}`;
}

/**
 * A Uint32Array over a blob's whole 4-byte words: a view, or a view of a copy when the blob's buffer is
 * not 4-aligned (a Uint32Array view needs it).
 */
export function uint32View(data: Buffer): Uint32Array {
  const own = data.byteOffset % 4 === 0 ? data : new Uint8Array(data);
  return new Uint32Array(own.buffer, own.byteOffset, own.length >>> 2);
}

/** The rows to write for each array: its chunks, each a view of the array's bytes (no copy). */
export function chunkRows(rows: readonly [string, number, Buffer][]): [string, number, Buffer][] {
  const out: [string, number, Buffer][] = [];
  for (const [name, upto, data] of rows) {
    const n = Math.max(1, Math.ceil(data.length / CHUNK_BYTES));
    for (let i = 0; i < n; i++)
      out.push([nameOf(name, i), upto, data.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES)]);
  }
  return out;
}

/**
 * The parts of `generation` whose names begin with `prefix`, each array's chunks joined into one
 * buffer of its own (aligned, so the typed array is a view of it). An array whose chunks are not
 * 0..k-1 of one bound, all blobs, is left out (the load steps read it instead).
 */
export function readChunks(
  db: Database,
  table: string,
  generation: string,
  prefix: string,
): Map<string, Part> {
  const rows = db
    .prepare(
      `SELECT name, upto, typeof(data) = 'blob' AS blob FROM ${table} WHERE generation = ? AND name LIKE ?`,
    )
    .all(generation, `${prefix}%`) as { name: string; upto: number; blob: number }[];
  const groups = new Map<string, { upto: Set<number>; chunks: number; blobs: boolean }>();
  for (const r of rows) {
    const base = r.name.split('#')[0];
    const g = groups.get(base) ?? { upto: new Set<number>(), chunks: 0, blobs: true };
    g.upto.add(r.upto);
    g.chunks++;
    g.blobs &&= r.blob === 1;
    groups.set(base, g);
  }
  const read = db.prepare(`SELECT data FROM ${table} WHERE generation = ? AND name = ?`).pluck();
  const out = new Map<string, Part>();
  for (const [base, g] of groups) {
    if (g.upto.size !== 1 || !g.blobs) continue;
    const upto = [...g.upto][0];
    const chunks: Buffer[] = [];
    for (let i = 0; i < g.chunks; i++) {
      const data = read.get(generation, nameOf(base, i)) as Buffer | undefined;
      if (data === undefined) break;
      chunks.push(data);
    }
    if (chunks.length !== g.chunks) continue;
    if (chunks.length === 1) {
      out.set(base, { generation, upto, data: chunks[0] });
      continue;
    }
    const data = Buffer.from(new ArrayBuffer(chunks.reduce((n, c) => n + c.length, 0)));
    let at = 0;
    for (const c of chunks) {
      c.copy(data, at);
      at += c.length;
    }
    out.set(base, { generation, upto, data });
  }
  return out;
}
