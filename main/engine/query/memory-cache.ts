/**
 * The aggregate reader's in-memory copies (facts mirror, address map, senders and sizes) kept in the
 * workspace itself, so a case opened again has them in milliseconds instead of seconds of load steps.
 *
 * Why: a case that opens starts both readers loading (~3 s of CPU at 1M rows for these three, ~30 s
 * at 5M); meanwhile the window loads beside them and the first searches take the SQL path (bench at
 * 1M: bundle load ~1200 ms against ~960 once the loads are done, Enter to count, facets and
 * histogram shown 319 ms for `from:news` and 436 ms for `-jane` against <= 145 ms from memory).
 *
 * Kept exact: each copy is stored with the records generation it belongs to and the id up to which
 * it holds records (records-generation.ts). Records with ids up to that bound never change within a
 * generation (a removal, an update or an emptied record_facts bumps it; an append only adds ids
 * above), so a copy of the current generation whose bound is within today's coverage holds exactly
 * what a fresh load would; the load steps bring it up from there. Anything else (another
 * generation, a bound above the coverage, a part missing or of the wrong length) is ignored and the
 * copy is loaded as before. The copies live in the workspace file, in one table written in one
 * transaction, so a copied, restored or crashed workspace carries the copies of its own records or
 * none: never another file's.
 *
 * Written at the end of each import (import/keep-memories.ts), and by the reader once per generation
 * and coverage after its loads finish, from a short-lived writable connection (the readers' are
 * read-only) that gives up at once if another writer holds the workspace (an import: tried again
 * after the next answer). Arrays are stored in chunks (memory-chunks.ts).
 */
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { addressMemoryCopy, restoreAddressMemory, type AddressCopy } from './address-memory';
import { factsMemoryCopy, restoreFactsMemory, type FactsCopy } from './facts-memory';
import { chunkRows, readChunks, type Part } from './memory-chunks';
import { factsCoverage } from './record-facts';
import { recordsGeneration } from './records-generation';
import { searchIndexCoverage } from './search-index';
import { restoreValuesMemory, valuesMemoryCopy, type ValuesCopy } from './values-memory';

/**
 * A rowid table: `memory_cache`, the first one, was WITHOUT ROWID, whose B-tree is keyed by the whole
 * row, so every seek by name read the 4 MiB blobs of the rows it compared against (overflow pages
 * included): the aggregate reader's check of the kept bounds before each request took ~10 ms at 5M
 * rows (facets of `status:ok` 2 -> 11 ms, histogram of `region:DE1` 30 -> 63 ms). Here the name's
 * index holds only names, and name, generation and upto sit before the blob in each row. Migration 7
 * drops the old table.
 */
export const MEMORY_CACHE_TABLE = 'memory_kept';

const CREATE = `CREATE TABLE IF NOT EXISTS ${MEMORY_CACHE_TABLE} (
  name TEXT NOT NULL UNIQUE, generation TEXT NOT NULL, upto INTEGER NOT NULL, data BLOB NOT NULL
)`;

/** Larger blobs than this are not kept (SQLite's default limit is 1e9 bytes; ~40M records). */
const MAX_BLOB = 500_000_000;

/** The three memories, each kept as parts named `<memory>.<array>`. */
export type MemoryName = 'facts' | 'address' | 'values';

/** What was last written or restored per connection, so an unchanged copy is not written again. */
const kept = new WeakMap<Database, string>();

function bytesOf(a: Float64Array | Uint16Array | Uint32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * `data` as a typed array of `n` elements of `width` bytes: over the blob's own memory when it is
 * aligned (a large Buffer has an ArrayBuffer of its own), else a copy. A second copy of every byte
 * cost as much as the read itself (fresh memory is faulted in page by page: 1M rows, 24 MB, under
 * load: read 170-350 ms, copy 80-170 ms).
 */
function view<A extends Float64Array | Uint16Array | Uint32Array>(
  data: Buffer,
  n: number,
  make: (buffer: ArrayBuffer, offset: number, n: number) => A,
  width: number,
): A {
  if (data.byteOffset % width === 0 && data.buffer instanceof ArrayBuffer)
    return make(data.buffer, data.byteOffset, n);
  const copy = new ArrayBuffer(n * width);
  new Uint8Array(copy).set(data);
  return make(copy, 0, n);
}

/** The blob as n Float64 values, or null when its length does not fit. */
function floats(data: Buffer, n: number): Float64Array | null {
  if (data.length !== n * 8) return null;
  return view(data, n, (b, o, k) => new Float64Array(b, o, k), 8);
}

/** The blob as n Uint16 or Uint32 codes (by its length), or null when its length fits neither. */
function codes(data: Buffer, n: number): Uint16Array | Uint32Array | null {
  if (data.length === n * 2) return view(data, n, (b, o, k) => new Uint16Array(b, o, k), 2);
  if (data.length === n * 4) return view(data, n, (b, o, k) => new Uint32Array(b, o, k), 4);
  return null;
}

function readParts(db: Database, generation: string, only?: MemoryName): Map<string, Part> {
  const has = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .pluck()
    .get(MEMORY_CACHE_TABLE);
  if (has === undefined) return new Map();
  return readChunks(db, MEMORY_CACHE_TABLE, generation, only ?? '');
}

/** The parts' common bound when all are present, of one bound, and within `coverage`; else null. */
function boundOf(parts: Map<string, Part>, names: readonly string[], coverage: number): number | null {
  const found = names.map((n) => parts.get(n));
  const upto = found[0]?.upto;
  if (upto === undefined || upto < 1 || upto > coverage) return null;
  return found.every((p) => p !== undefined && p.upto === upto && Buffer.isBuffer(p.data)) ? upto : null;
}

/**
 * Takes the kept copies that belong to the workspace as it is now as this reader's memories (the
 * reader's enable* calls come first), or only those of memory `only` (the others' blobs unread).
 * Returns the names restored. One read transaction.
 */
export function restoreMemories(db: Database, only?: MemoryName): string[] {
  return db.transaction(() => {
    const generation = recordsGeneration(db);
    const parts = readParts(db, generation, only);
    const done: string[] = [];
    const facts = factsCoverage(db);
    const data = (name: string): Buffer => (parts.get(name) as Part).data;
    const fu = boundOf(parts, ['facts.t', 'facts.cid'], facts);
    if (fu !== null) {
      const t = floats(data('facts.t'), fu + 1);
      const cid = codes(data('facts.cid'), fu + 1);
      if (t !== null && cid !== null) {
        restoreFactsMemory(db, { generation, upto: fu, t, cid });
        done.push('facts');
      }
    }
    const au = boundOf(parts, ['address.vid'], searchIndexCoverage(db));
    if (au !== null) {
      const vid = codes(data('address.vid'), au + 1);
      if (vid instanceof Uint32Array) {
        restoreAddressMemory(db, { generation, upto: au, vid });
        done.push('address');
      }
    }
    const vu = boundOf(parts, ['values.size', 'values.sender', 'values.senders'], facts);
    if (vu !== null) {
      const size = floats(data('values.size'), vu + 1);
      const sender = codes(data('values.sender'), vu + 1);
      const senders = JSON.parse(data('values.senders').toString('utf8')) as unknown;
      if (size !== null && sender !== null && isSenders(senders)) {
        restoreValuesMemory(db, { generation, upto: vu, size, sender, senders });
        done.push('values');
      }
    }
    kept.set(db, keyOf(generation, fu, au, vu));
    return done;
  })();
}

function isSenders(v: unknown): v is (string | null)[] {
  return (
    Array.isArray(v) &&
    v.length >= 2 &&
    v[0] === null &&
    v[1] === null &&
    v.every((s) => s === null || typeof s === 'string')
  );
}

function keyOf(generation: string, ...bounds: (number | null | undefined)[]): string {
  return [generation, ...bounds.map((b) => b ?? '-')].join(':');
}

/** Generation and bounds (facts, address, values; 0: none) of what this connection last restored or wrote. */
export interface KeptBounds {
  readonly generation: string;
  readonly facts: number;
  readonly address: number;
  readonly values: number;
}

export function keptBounds(db: Database): KeptBounds | null {
  const key = kept.get(db);
  if (key === undefined) return null;
  const fields = key.split(':');
  const [facts, address, values] = fields.slice(-3).map((b) => (b === '-' ? 0 : Number(b)));
  return { generation: fields.slice(0, -3).join(':'), facts, address, values };
}

interface Copies {
  readonly generation: string;
  readonly facts: FactsCopy | null;
  readonly address: AddressCopy | null;
  readonly values: ValuesCopy | null;
}

function copiesOf(db: Database): Copies {
  return db.transaction(() => {
    const facts = factsCoverage(db);
    return {
      generation: recordsGeneration(db),
      facts: factsMemoryCopy(db, facts),
      address: addressMemoryCopy(db, searchIndexCoverage(db)),
      values: valuesMemoryCopy(db, facts),
    };
  })();
}

/** The rows to keep for this connection's finished copies, and the key they are kept under; null: none. */
export function keptParts(
  db: Database,
): { key: string; generation: string; rows: [string, number, Buffer][] } | null {
  const c = copiesOf(db);
  if (c.facts === null && c.address === null && c.values === null) return null;
  const rows: [string, number, Buffer][] = [];
  if (c.facts)
    rows.push(
      ['facts.t', c.facts.upto, bytesOf(c.facts.t)],
      ['facts.cid', c.facts.upto, bytesOf(c.facts.cid)],
    );
  if (c.address) rows.push(['address.vid', c.address.upto, bytesOf(c.address.vid)]);
  if (c.values)
    rows.push(
      ['values.size', c.values.upto, bytesOf(c.values.size)],
      ['values.sender', c.values.upto, bytesOf(c.values.sender)],
      ['values.senders', c.values.upto, Buffer.from(JSON.stringify(c.values.senders), 'utf8')],
    );
  if (rows.some(([, , data]) => data.length > MAX_BLOB)) return null;
  return {
    key: keyOf(c.generation, c.facts?.upto, c.address?.upto, c.values?.upto),
    generation: c.generation,
    rows,
  };
}

/**
 * Writes this reader's finished copies into the workspace at `dbPath` unless they are kept there
 * already. For the idle loop's last step: always false (nothing more to do). Gives up silently
 * (tried again after the next answer) when another connection is writing; a workspace that cannot
 * be written (read-only file) keeps loading by steps.
 */
export function persistMemories(db: Database, dbPath: string): boolean {
  const parts = keptParts(db);
  if (parts === null || kept.get(db) === parts.key) return false;
  let w: Database | null = null;
  try {
    w = new BetterSqlite3(dbPath, { fileMustExist: true, timeout: 0 });
    w.pragma('trusted_schema = OFF');
    // No checkpoint on this reader's thread at commit: the WAL may still hold an import's frames
    // (~1 GB per million rows, import/checkpoint.ts), and a count asked meanwhile would wait for the
    // copy. The writer's next commit, or its background checkpoint, takes the frames as it does others.
    w.pragma('wal_autocheckpoint = 0');
    writeParts(w, parts.generation, parts.rows);
    kept.set(db, parts.key);
  } catch {
    // Only a speed-up: busy (an import), read-only media or a full disk leave the load steps.
  } finally {
    w?.close();
  }
  return false;
}

/** In one write transaction, and only while the records are still of `generation`. */
export function writeParts(w: Database, generation: string, rows: readonly [string, number, Buffer][]): void {
  w.transaction(() => {
    if (recordsGeneration(w) !== generation) return;
    w.exec(CREATE);
    // Parts of other generations are of no use again (generations only grow).
    w.prepare(`DELETE FROM ${MEMORY_CACHE_TABLE} WHERE generation <> ?`).run(generation);
    const put = w.prepare(
      `INSERT INTO ${MEMORY_CACHE_TABLE}(name, generation, upto, data) VALUES (?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET generation = excluded.generation, upto = excluded.upto, data = excluded.data`,
    );
    const drop = w.prepare(`DELETE FROM ${MEMORY_CACHE_TABLE} WHERE name = ? OR name LIKE ? || '#%'`);
    for (const [name] of rows) drop.run(name, name);
    for (const [name, upto, data] of chunkRows(rows)) put.run(name, generation, upto, data);
  }).immediate();
}
