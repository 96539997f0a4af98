/**
 * The CLI's count of one free word (or `-word`) from the kept counts per address (address-counts.ts,
 * word-count.ts) in place of the address map: equal to brute force with current parts, after an
 * append (parts behind the coverage: not used), after a removal (another generation: not used), with
 * a part missing; the counts themselves against a brute tally, over 254 records an address included;
 * the map's ids of records read across its chunks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import { COLUMNS } from '../../common/columns';
import type { SortKey } from '../../common/contract';
import { restoreForSearch } from '../../main/cli/kept-memories';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { removeImport } from '../../main/engine/import/remove';
import {
  addressCountRows,
  byteCounts,
  addressCounts,
  COUNTS_PART,
  keptAddressesOf,
  countsOfParts,
  LEGACY_MANY,
  LEGACY_PART,
  MANY_PART,
  restoreAddressCounts,
  sumAddressCounts,
  type AddressCounts,
} from '../../main/engine/query/address-counts';
import { countRows } from '../../main/engine/query';
import { chunkRows, readChunks, uint32View } from '../../main/engine/query/memory-chunks';
import { MEMORY_CACHE_TABLE, writeParts } from '../../main/engine/query/memory-cache';
import { recordsGeneration } from '../../main/engine/query/records-generation';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { keptWordCount } from '../../main/engine/query/word-count';
import { importFiles, workspace, writeCsvFiles, type Workspace } from './import-fixture';
import { bruteCount } from './summary-brute';

/** Words of the generated data: in addresses only, in reply texts too, everywhere, nowhere, IDs. */
/** Those the vocabulary narrows to addresses (and reply texts): answered from the counts. */
const ADDRESS_WORDS = ['jane', 'max.weber', 'weber1', 'zzzq'];
const WORDS = ['jane', 'max.weber', 'weber1', 'example', 'web.de', 'mailbox', 'user', 'zzzq', 'ja', 'news'];

/**
 * Empty addresses, upper-case ones, and reply texts holding `jane` of records whose address may not
 * (the generator's replies name the record's own address: a word found through two columns).
 */
function edited(row: readonly string[], i: number): string[] {
  const out = [...row];
  if (i % 31 === 0) out[TO] = '';
  else if (i % 13 === 0) out[TO] = out[TO].toUpperCase();
  if (i % 11 === 0) out[SMTP] = `550 5.1.1 jane ${i} left`;
  return out;
}

const TO = COLUMNS.findIndex((c) => c.id === 'message_to');
const SMTP = COLUMNS.findIndex((c) => c.id === 'smtp_status_code');

/** A fresh read-only connection as the CLI opens it: the counts restored for `count`, the count and the path. */
function cliCount(w: Workspace, q: string): { count: number; fromCounts: number | null } {
  const db = openDatabase(w.dbPath, { readonly: true });
  try {
    restoreForSearch(db, { q }, 'count');
    const fromCounts = addressCounts(db) === null ? null : keptWordCount(db, { q });
    return { count: countRows(db, { q }), fromCounts };
  } finally {
    db.close();
  }
}

/** Every word and its negation equal brute force; `used`: whether the kept counts answered. */
function checkWords(w: Workspace, label: string, used: boolean): void {
  for (const word of WORDS)
    for (const q of [word, `-${word}`]) {
      const { count, fromCounts } = cliCount(w, q);
      const brute = bruteCount(w.db, { q });
      assert.equal(count, brute, `${label}: count ${q}`);
      // A word the vocabulary does not narrow down (too short, in every record) is counted as before.
      if (used && ADDRESS_WORDS.includes(word))
        assert.equal(fromCounts, brute, `${label}: from the counts ${q}`);
      else if (used) assert.ok(fromCounts === null || fromCounts === brute, `${label}: ${q}`);
      else assert.equal(fromCounts, null, `${label}: counts not taken for ${q}`);
    }
}

test('one word and its negation count exactly from the kept counts, and as before where they do not fit', async () => {
  const w = workspace();
  const files = writeCsvFiles(
    w.dir,
    [
      { rows: 2500, seed: 71, startMs: Date.UTC(2026, 9, 1) },
      { rows: 900, seed: 72, startMs: Date.UTC(2026, 9, 12) },
    ],
    edited,
  );
  try {
    await importFiles(w.db, files.slice(0, 1), { keepMemories: false });
    keepMemories(w.db);
    checkWords(w, 'current parts', true);
    // The map as before where more than the count and rows by time read the word's records.
    const restored = (q: string, use: 'count' | 'query', sort?: SortKey[]): string[] => {
      const db = openDatabase(w.dbPath, { readonly: true });
      try {
        return restoreForSearch(db, { q }, use, sort);
      } finally {
        db.close();
      }
    };
    assert.deepEqual(restored('jane', 'query'), []);
    assert.deepEqual(restored('-jane', 'query', [{ column: 'creation_time', dir: 'asc' }]), []);
    assert.deepEqual(restored('jane', 'query', [{ column: 'message_to', dir: 'asc' }]), ['address']);
    assert.deepEqual(restored('jane status:ok', 'count'), ['address']);
    assert.deepEqual(restored('jane example', 'count'), ['address'], 'a universal word dropped: two terms');

    // An append after the parts were kept (its import extends the vocabulary): they hold fewer
    // records than it covers, and are not used.
    await importFiles(w.db, files.slice(1), { keepMemories: false });
    checkWords(w, 'parts behind an append', false);
    keepMemories(w.db);
    checkWords(w, 'kept after the append', true);

    // A removal: the parts are another generation's.
    const first = w.db.prepare('SELECT min(id) FROM imports').pluck().get() as number;
    await removeImport(w.db, first, new AbortController().signal);
    updateSearchIndex(w.db);
    checkWords(w, 'after a removal', false);
    keepMemories(w.db);
    checkWords(w, 'kept after the removal', true);

    // One of the two parts missing: not used.
    w.db.prepare(`DELETE FROM ${MEMORY_CACHE_TABLE} WHERE name LIKE ?`).run(`${MANY_PART}%`);
    checkWords(w, 'a part missing', false);

    // A workspace kept before 19b: only the byte per address parts, read and packed.
    w.db.prepare(`DELETE FROM ${MEMORY_CACHE_TABLE} WHERE name LIKE ?`).run(`${COUNTS_PART}%`);
    keepLegacyCounts(w);
    checkWords(w, 'the parts kept before 19b', true);
    w.db.prepare(`DELETE FROM ${MEMORY_CACHE_TABLE} WHERE name LIKE ?`).run(`${LEGACY_MANY}%`);
    checkWords(w, 'a part kept before 19b missing', false);
  } finally {
    w.cleanup();
  }
});

/** The counts as kept before 19b (a byte per address id; 255: its count in the pairs), from the kept map. */
function keepLegacyCounts(w: Workspace): void {
  const generation = recordsGeneration(w.db);
  const map = readChunks(w.db, MEMORY_CACHE_TABLE, generation, 'address.vid').get('address.vid');
  assert.ok(map !== undefined);
  const { n, over } = byteCounts(uint32View(map.data), map.upto);
  const pairs = Uint32Array.from([...over].flat());
  writeParts(w.db, generation, [
    [LEGACY_PART, map.upto, Buffer.from(n.buffer)],
    [LEGACY_MANY, map.upto, Buffer.from(pairs.buffer)],
  ]);
}

/** Runs `fn` with the records generation of the in-memory `db` set to `generation`. */
function withGeneration<T>(db: Database, generation: string, fn: () => T): T {
  db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('records_generation', ?)").run(generation);
  return fn();
}

/** The counts' parts of `parts` as sumAddressCounts reads them once restored. */
function countsOf(upto: number, parts: [string, number, Buffer][]): AddressCounts {
  const rowsOf = new Map(parts.map(([n, , b]) => [n, b]));
  const nb = rowsOf.get(COUNTS_PART);
  const mb = rowsOf.get(MANY_PART);
  assert.ok(nb !== undefined && mb !== undefined);
  const c = countsOfParts(upto, nb, mb);
  assert.ok(c !== null);
  return c;
}

test('the counts per address equal a tally of the map, over 254 records an address too', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(3), fc.constant(7)), {
        maxLength: 2000,
      }),
      fc.uniqueArray(fc.integer({ min: 0, max: 45 }), { maxLength: 20 }),
      (entries, picked) => {
        const vid = Uint32Array.from([0, ...entries]);
        const upto = entries.length;
        const c = countsOf(upto, addressCountRows({ generation: 'g', upto, vid }));
        const brute = entries.filter((v) => v !== 0 && picked.includes(v)).length;
        const sorted = [...picked].sort((a, b) => a - b);
        assert.equal(sumAddressCounts(c, sorted), brute);
        assert.equal(sumAddressCounts(c, [...sorted, ...sorted].reverse()), brute, 'repeated, unordered');
      },
    ),
    { numRuns: 200, seed: 15 },
  );
  // Past one byte: 254, 255, 256 and 600 records of one address.
  const entries = [
    ...Array<number>(254).fill(1),
    ...Array<number>(255).fill(2),
    ...Array<number>(256).fill(3),
  ];
  const vid = Uint32Array.from([0, ...entries, ...Array<number>(600).fill(4), 5]);
  const c = countsOf(vid.length - 1, addressCountRows({ generation: 'g', upto: vid.length - 1, vid }));
  for (const [v, k] of [
    [1, 254],
    [2, 255],
    [3, 256],
    [4, 600],
    [5, 1],
    [6, 0],
  ])
    assert.equal(sumAddressCounts(c, [v]), k, `address ${v}`);
  assert.equal(sumAddressCounts({ ...c, many: new Uint32Array(0) }, [3]), null, 'a damaged part is no count');
  // Two bits an address (19b), not a byte: the addresses 1..5 in two bytes.
  const parts = new Map(
    addressCountRows({ generation: 'g', upto: vid.length - 1, vid }).map(([n, , b]) => [n, b]),
  );
  assert.equal(parts.get(COUNTS_PART)?.length, 2);
  assert.equal(countsOfParts(1, Buffer.alloc(2), Buffer.alloc(12)), null, 'pairs not whole');
});

test("the map's address ids of records are read across its chunks", () => {
  // More than one 4 MiB chunk: 1.1M records.
  const upto = 1_100_000;
  const vid = new Uint32Array(upto + 1);
  for (let id = 1; id <= upto; id++) vid[id] = (id * 7919) % 100_003;
  const rows: [string, number, Buffer][] = [['address.vid', upto, Buffer.from(vid.buffer)]];
  const db = new BetterSqlite3(':memory:');
  try {
    db.exec(`CREATE TABLE ${MEMORY_CACHE_TABLE} (name TEXT NOT NULL UNIQUE, generation TEXT NOT NULL,
      upto INTEGER NOT NULL, data BLOB NOT NULL); CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)`);
    const put = db.prepare(`INSERT INTO ${MEMORY_CACHE_TABLE} VALUES (?, ?, ?, ?)`);
    const gen = '0';
    for (const [name, u, data] of chunkRows(rows)) put.run(name, gen, u, data);
    const ids = [1, 2, 1_048_575, 1_048_576, 1_048_577, upto, 500_000];
    const got = withGeneration(db, gen, () => keptAddressesOf(db, MEMORY_CACHE_TABLE, upto, ids));
    assert.deepEqual(
      got === null ? null : [...got],
      ids.map((id) => vid[id]),
    );
    assert.equal(
      withGeneration(db, gen, () => keptAddressesOf(db, MEMORY_CACHE_TABLE, upto + 1, ids)),
      null,
      'another bound',
    );
    assert.equal(
      withGeneration(db, 'other', () => keptAddressesOf(db, MEMORY_CACHE_TABLE, upto, ids)),
      null,
    );
    db.prepare(`DELETE FROM ${MEMORY_CACHE_TABLE} WHERE name = 'address.vid#1'`).run();
    assert.equal(
      withGeneration(db, gen, () => keptAddressesOf(db, MEMORY_CACHE_TABLE, upto, ids)),
      null,
    );
    assert.equal(restoreAddressCounts(db, MEMORY_CACHE_TABLE, upto), false, 'no counts kept');
  } finally {
    db.close();
  }
});
