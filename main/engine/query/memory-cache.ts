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
import { addressCountRows } from './address-counts';
import { addressMemoryCopy, type AddressCopy } from './address-memory';
import { factsMemoryCopy, type FactsCopy } from './facts-memory';
import { chunkRows, MEMORY_CACHE_TABLE, readChunks, type Part } from './memory-chunks';
import { installMemory, MEMORY_ORDER } from './memory-install';
import { setPendingRestore, type MemoryName } from './memory-pending';
import { factsCoverage } from './record-facts';
import { recordsGeneration } from './records-generation';
import { searchIndexCoverage } from './search-index';
import { valuesMemoryCopy, type ValuesCopy } from './values-memory';

export type { MemoryName };

/**
 * A rowid table: `memory_cache`, the first one, was WITHOUT ROWID, whose B-tree is keyed by the whole
 * row, so every seek by name read the 4 MiB blobs of the rows it compared against (overflow pages
 * included): the aggregate reader's check of the kept bounds before each request took ~10 ms at 5M
 * rows (facets of `status:ok` 2 -> 11 ms, histogram of `region:DE1` 30 -> 63 ms). Here the name's
 * index holds only names, and name, generation and upto sit before the blob in each row. Migration 7
 * drops the old table.
 */
export { MEMORY_CACHE_TABLE };

const CREATE = `CREATE TABLE IF NOT EXISTS ${MEMORY_CACHE_TABLE} (
  name TEXT NOT NULL UNIQUE, generation TEXT NOT NULL, upto INTEGER NOT NULL, data BLOB NOT NULL
)`;

/** Larger blobs than this are not kept (SQLite's default limit is 1e9 bytes; ~40M records). */
const MAX_BLOB = 500_000_000;

/** Generation and bounds (null: none) of what was last written or restored per connection. */
interface Held {
  readonly generation: string;
  readonly facts: number | null;
  readonly address: number | null;
  readonly values: number | null;
}

/** What was last written or restored per connection, so an unchanged copy is not written again. */
const kept = new WeakMap<Database, Held>();

function bytesOf(a: Float64Array | Uint16Array | Uint32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Whether the workspace has the kept-memories table (a workspace no import or reader has kept into). */
export function hasKeptTable(db: Database): boolean {
  return (
    db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
      .pluck()
      .get(MEMORY_CACHE_TABLE) !== undefined
  );
}

function readParts(db: Database, generation: string, only?: MemoryName): Map<string, Part> {
  if (!hasKeptTable(db)) return new Map();
  if (only !== undefined) return readChunks(db, MEMORY_CACHE_TABLE, generation, only);
  // Each memory's own parts: not the counts per address (address-counts.ts), which only the CLI reads.
  return new Map(MEMORY_ORDER.flatMap((name) => [...readChunks(db, MEMORY_CACHE_TABLE, generation, name)]));
}

/**
 * Takes the kept copies that belong to the workspace as it is now as this reader's memories (the
 * reader's enable* calls come first), or only those of memory `only` (the others' blobs unread).
 * Returns the names restored. One read transaction. A restore in steps still running on this
 * connection (memory-stages.ts) is given up: this one reads what is kept now.
 */
export function restoreMemories(db: Database, only?: MemoryName): string[] {
  setPendingRestore(db, null);
  return db.transaction(() => {
    const generation = recordsGeneration(db);
    const parts = readParts(db, generation, only);
    const bound = (name: MemoryName): number | null =>
      only === undefined || only === name ? installMemory(db, generation, parts, name) : null;
    const held: Held = {
      generation,
      facts: bound('facts'),
      address: bound('address'),
      values: bound('values'),
    };
    kept.set(db, held);
    return MEMORY_ORDER.filter((name) => held[name] !== null);
  })();
}

/**
 * Takes one kept memory's parts whose names begin with `prefix` and nothing else, installed as
 * `part` (memory-install.ts); true when taken. For a connection whose search needs only those (the
 * CLI, cli/kept-memories.ts): each part lies beyond its 2 GB map at 5M records and costs its bytes.
 */
function restorePart(
  db: Database,
  prefix: string,
  name: MemoryName,
  part: 'timeless' | 'sizeless' | 'senderless',
): boolean {
  setPendingRestore(db, null);
  return db.transaction(() => {
    const generation = recordsGeneration(db);
    if (!hasKeptTable(db)) return false;
    const parts = readChunks(db, MEMORY_CACHE_TABLE, generation, prefix);
    return installMemory(db, generation, parts, name, part) !== null;
  })();
}

/**
 * The kept facts mirror without its times (facts.cid alone: 10 of its 50 MB at 5M records), for a
 * connection that counts an id set's records by combo and nothing else (the CLI's facets of free
 * words). Every reader of times then takes its SQL path.
 */
export function restoreFactCombos(db: Database): boolean {
  return restorePart(db, 'facts.cid', 'facts', 'timeless');
}

/**
 * The kept senders without their sizes (values.sender and values.senders, which the prefix reads and
 * nothing else: 10 of the values' 50 MB at 5M records), for a search with `from:` terms and no size
 * bound (the CLI's `from:news`). A size bound then takes its SQL path.
 */
export function restoreValueSenders(db: Database): boolean {
  return restorePart(db, 'values.sender', 'values', 'sizeless');
}

/** Likewise the kept sizes without the senders (values.size: 40 of 50 MB), for size bounds alone. */
export function restoreValueSizes(db: Database): boolean {
  return restorePart(db, 'values.size', 'values', 'senderless');
}

/**
 * Notes memories restored (memory-stages.ts) with their bounds, beside what this connection restored
 * of the same generation before.
 */
export function noteRestored(
  db: Database,
  generation: string,
  bounds: Partial<Record<MemoryName, number>>,
): void {
  const held = kept.get(db);
  const base: Held =
    held?.generation === generation ? held : { generation, facts: null, address: null, values: null };
  kept.set(db, { ...base, ...bounds });
}

function keyOf(held: Held | undefined): string {
  return held === undefined
    ? ''
    : [held.generation, held.facts, held.address, held.values].map((b) => b ?? '-').join(':');
}

/** Generation and bounds (facts, address, values; 0: none) of what this connection last restored or wrote. */
export interface KeptBounds {
  readonly generation: string;
  readonly facts: number;
  readonly address: number;
  readonly values: number;
}

export function keptBounds(db: Database): KeptBounds | null {
  const held = kept.get(db);
  if (held === undefined) return null;
  return {
    generation: held.generation,
    facts: held.facts ?? 0,
    address: held.address ?? 0,
    values: held.values ?? 0,
  };
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

/** The rows to keep for this connection's finished copies, and their bounds; null: none. */
export function keptParts(
  db: Database,
): { held: Held; generation: string; rows: [string, number, Buffer][] } | null {
  const c = copiesOf(db);
  if (c.facts === null && c.address === null && c.values === null) return null;
  const rows: [string, number, Buffer][] = [];
  if (c.facts)
    rows.push(
      ['facts.t', c.facts.upto, bytesOf(c.facts.t)],
      ['facts.cid', c.facts.upto, bytesOf(c.facts.cid)],
    );
  if (c.address)
    rows.push(['address.vid', c.address.upto, bytesOf(c.address.vid)], ...addressCountRows(c.address));
  if (c.values)
    rows.push(
      ['values.size', c.values.upto, bytesOf(c.values.size)],
      ['values.sender', c.values.upto, bytesOf(c.values.sender)],
      ['values.senders', c.values.upto, Buffer.from(JSON.stringify(c.values.senders), 'utf8')],
    );
  if (rows.some(([, , data]) => data.length > MAX_BLOB)) return null;
  return {
    held: {
      generation: c.generation,
      facts: c.facts?.upto ?? null,
      address: c.address?.upto ?? null,
      values: c.values?.upto ?? null,
    },
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
  if (parts === null || keyOf(kept.get(db)) === keyOf(parts.held)) return false;
  let w: Database | null = null;
  try {
    w = new BetterSqlite3(dbPath, { fileMustExist: true, timeout: 0 });
    w.pragma('trusted_schema = OFF');
    // No checkpoint on this reader's thread at commit: the WAL may still hold an import's frames
    // (~1 GB per million rows, import/checkpoint.ts), and a count asked meanwhile would wait for the
    // copy. The writer's next commit, or its background checkpoint, takes the frames as it does others.
    w.pragma('wal_autocheckpoint = 0');
    writeParts(w, parts.generation, parts.rows);
    kept.set(db, parts.held);
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
