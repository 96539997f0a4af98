/**
 * The import's memories phase (import/keep-memories.ts): a case fresh from an import opens with the
 * aggregate reader's memories kept, without a load step, and they answer exactly as brute force
 * after an import, an append (which extends what is kept), a removal (the old copies are ignored) and
 * a re-import; a kill in the phase leaves copies that are whole or absent, never wrong; and a reader
 * already running through the host takes the copies of an import that ended after it opened
 * (query/memory-refresh.ts).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import type { FilterModel } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { removeImport } from '../../main/engine/import/remove';
import { enableAddressMemory, stepAddressMemory } from '../../main/engine/query/address-memory';
import { getFacets } from '../../main/engine/query/facets';
import { enableFactsMemory, factsMirror, stepFactsMemory } from '../../main/engine/query/facts-memory';
import { getHistogram } from '../../main/engine/query/histogram';
import { MEMORY_CACHE_TABLE, restoreMemories } from '../../main/engine/query/memory-cache';
import { refreshMemories } from '../../main/engine/query/memory-refresh';
import { countRows } from '../../main/engine/query/paging';
import { factsCoverage } from '../../main/engine/query/record-facts';
import { maxRecordId, recordsGeneration } from '../../main/engine/query/records-generation';
import { enableValuesMemory, stepValuesMemory, valuesMirror } from '../../main/engine/query/values-memory';
import { EngineHost } from '../../main/engine/worker/host';
import { importFiles, killDuring, workspace } from './import-fixture';
import { bruteCount, bruteFacets, bruteHistogram, facetsOf } from './summary-brute';

const FILTERS: readonly FilterModel[] = [
  {},
  { q: 'jane' },
  { q: '-jane' },
  { q: 'from:news' },
  { q: 'size>30000 status:ok' },
  { q: 'status:error after:2026-10-05' },
];

const NAMES = [
  'address.vid',
  'counts.address2',
  'counts.address2.many',
  'facts.cid',
  'facts.t',
  'values.sender',
  'values.senders',
  'values.size',
  // The token dictionary of the vocabulary (word-tokens-kept.ts), written after the memories.
  'words.head',
  'words.offsets',
  'words.other',
  'words.post',
  // The other values' records with their addresses (word-records.ts), written with the dictionary.
  'words.rec',
  'words.text',
];

function csv(dir: string, name: string, rows: number, seed: number, day: number): string {
  const file = path.join(dir, name);
  writeFileSync(file, toCsv(generateRows({ rows, seed, startMs: Date.UTC(2026, 9, day) })));
  return file;
}

function keptRows(db: Database): [string, string, number][] {
  return db.prepare(`SELECT name, generation, upto FROM ${MEMORY_CACHE_TABLE} ORDER BY name`).raw().all() as [
    string,
    string,
    number,
  ][];
}

/** A reader as the aggregate reader opens: memories enabled, kept copies restored, no step yet. */
function withReader(dbPath: string, run: (db: Database, restored: string[]) => void): void {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    enableFactsMemory(db);
    enableAddressMemory(db);
    enableValuesMemory(db);
    run(db, restoreMemories(db));
  } finally {
    db.close();
  }
}

/** Load steps the reader would still run (0: every memory complete). */
function stepsLeft(db: Database): number {
  let n = 0;
  const coverage = (): number => factsCoverage(db);
  while (stepFactsMemory(db, coverage) || stepAddressMemory(db) || stepValuesMemory(db, coverage)) n++;
  return n;
}

function checkExact(db: Database, brute: Database, label: string): void {
  for (const filter of FILTERS) {
    const what = `${label} ${JSON.stringify(filter)}`;
    assert.equal(countRows(db, filter), bruteCount(brute, filter), `count ${what}`);
    assert.deepEqual(facetsOf(getFacets(db, filter, 1000)), bruteFacets(brute, filter), `facets ${what}`);
    assert.deepEqual(getHistogram(db, filter, 60), bruteHistogram(brute, filter, 60), `histogram ${what}`);
  }
}

/** Kept bytes of facts.t for id 0: no record has that id, so a sentinel there changes no answer. */
function factsSlotZero(db: Database): number {
  const data = db
    .prepare(`SELECT data FROM ${MEMORY_CACHE_TABLE} WHERE name = 'facts.t'`)
    .pluck()
    .get() as Buffer;
  return data.readDoubleLE(0);
}

test('an import keeps the memories: a fresh reader answers from them at once, exactly, after an import, an append, a removal and a re-import', async () => {
  const w = workspace();
  const files = [
    csv(w.dir, 'a.csv', 3000, 81, 1),
    csv(w.dir, 'b.csv', 2000, 82, 10),
    csv(w.dir, 'c.csv', 900, 83, 20),
  ];
  try {
    await importFiles(w.db, files.slice(0, 2));
    const generation = recordsGeneration(w.db);
    assert.deepEqual(
      keptRows(w.db),
      NAMES.map((n) => [n, generation, 5000]),
    );
    withReader(w.dbPath, (db, restored) => {
      assert.deepEqual(restored, ['facts', 'address', 'values']);
      db.transaction(() => {
        assert.notEqual(factsMirror(db, factsCoverage(db)), null, 'facts answer from memory');
        assert.notEqual(valuesMirror(db, factsCoverage(db)), null, 'sizes and senders answer from memory');
      })();
      checkExact(db, w.db, 'imported');
      assert.equal(stepsLeft(db), 0, 'nothing left to load');
    });

    // An append extends the kept copies: a sentinel in the unused slot 0 survives, so the old
    // records' part was restored, not read again.
    const t = Buffer.from(
      w.db.prepare(`SELECT data FROM ${MEMORY_CACHE_TABLE} WHERE name = 'facts.t'`).pluck().get() as Buffer,
    );
    t.writeDoubleLE(12345, 0);
    w.db.prepare(`UPDATE ${MEMORY_CACHE_TABLE} SET data = ? WHERE name = 'facts.t'`).run(t);
    await importFiles(w.db, files.slice(2));
    assert.deepEqual(
      keptRows(w.db),
      NAMES.map((n) => [n, generation, 5900]),
    );
    assert.equal(factsSlotZero(w.db), 12345, 'extended, not rebuilt');
    withReader(w.dbPath, (db, restored) => {
      assert.deepEqual(restored, ['facts', 'address', 'values']);
      checkExact(db, w.db, 'appended');
      assert.equal(stepsLeft(db), 0);
    });

    // A removal: another generation, the old copies are not taken; answers stay exact by SQL.
    const middle = w.db
      .prepare('SELECT id FROM imports ORDER BY id LIMIT 1 OFFSET 1')
      .pluck()
      .get() as number;
    await removeImport(w.db, middle, new AbortController().signal);
    withReader(w.dbPath, (db, restored) => {
      assert.deepEqual(restored, []);
      checkExact(db, w.db, 'after a removal');
    });
    // The removed file imported again: copies of the new generation, read whole.
    await importFiles(w.db, [files[1]]);
    const now = recordsGeneration(w.db);
    assert.notEqual(now, generation);
    assert.deepEqual(
      keptRows(w.db).map(([n, g]) => [n, g]),
      NAMES.map((n) => [n, now]),
    );
    assert.equal(factsSlotZero(w.db), 0, 'a new generation is read whole');
    withReader(w.dbPath, (db, restored) => {
      assert.deepEqual(restored, ['facts', 'address', 'values']);
      checkExact(db, w.db, 're-imported');
      assert.equal(stepsLeft(db), 0);
    });
  } finally {
    w.cleanup();
  }
});

test('a SIGKILL in the memories phase of an append leaves each kept memory whole (old or new), answers exact, and the next import keeps them all', async () => {
  const w = workspace();
  try {
    await importFiles(w.db, [csv(w.dir, 'a.csv', 6000, 91, 1)]);
    const more = csv(w.dir, 'more.csv', 3000, 92, 12);
    w.db.close();
    const outcome = await killDuring(w.dbPath, more, 'memories', w.dir);
    assert.match(outcome, /reached/, outcome);
    const db = openDatabase(w.dbPath);
    try {
      assert.equal(db.pragma('quick_check', { simple: true }), 'ok');
      assert.equal(maxRecordId(db), 9000, 'the rows committed before the phase');
      // Per memory, its parts share one bound: the old one or the new one, never a mix.
      const bounds = new Map<string, Set<number>>();
      for (const [name, , upto] of keptRows(db)) {
        const memory = name.split('.')[0];
        bounds.set(memory, (bounds.get(memory) ?? new Set()).add(upto));
      }
      for (const [memory, set] of bounds) {
        assert.equal(set.size, 1, `${memory}: one bound`);
        assert.ok([6000, 9000].includes([...set][0]), `${memory}: bound ${[...set][0]}`);
      }
      withReader(w.dbPath, (r) => {
        checkExact(r, db, 'after the kill, as restored');
        stepsLeft(r);
        checkExact(r, db, 'after the kill, loaded');
      });
      const kept = keepMemories(db);
      assert.deepEqual(
        keptRows(db).map(([n, , upto]) => [n, upto]),
        NAMES.map((n) => [n, 9000]),
      );
      assert.ok(kept.bytes > 0);
      withReader(w.dbPath, (r, restored) => {
        assert.deepEqual(restored, ['facts', 'address', 'values']);
        checkExact(r, db, 'kept again');
      });
    } finally {
      db.close();
    }
  } finally {
    w.cleanup();
  }
});

test('through the host: an append the writer imports is answered exactly by a reader that opened before it', async () => {
  const w = workspace();
  try {
    await importFiles(w.db, [csv(w.dir, 'a.csv', 4000, 95, 1)]);
    w.db.close();
    const host = await EngineHost.start(w.dbPath);
    try {
      const ask = (filter: FilterModel): Promise<unknown[]> =>
        Promise.all([
          host.invoke('rows:count', { filter }),
          host.invoke('facets:get', { filter, top: 1000 }).then(facetsOf),
          host.invoke('histogram:get', { filter, buckets: 60 }),
        ]);
      const brute = (db: Database, filter: FilterModel): unknown[] => [
        bruteCount(db, filter),
        bruteFacets(db, filter),
        bruteHistogram(db, filter, 60),
      ];
      const check = async (label: string): Promise<void> => {
        const db = openDatabase(w.dbPath, { readonly: true });
        try {
          for (const filter of FILTERS)
            assert.deepEqual(await ask(filter), brute(db, filter), `${label} ${JSON.stringify(filter)}`);
        } finally {
          db.close();
        }
      };
      await check('opened');
      // More than a load step (facts-memory.ts MIRROR_CHUNK) of new records: the reader takes the
      // import's copies instead of loading them (memory-refresh.ts).
      const more = csv(w.dir, 'more.csv', 21_000, 96, 12);
      const result = await host.invoke('import:start', { jobId: 'k', paths: [more] });
      assert.equal(result.files[0]?.imported, 21_000);
      await check('after the append');
    } finally {
      await host.close();
    }
  } finally {
    w.cleanup();
  }
});

test('a running reader takes the copies of an import that ended since (more than a load step ahead), and only then', async () => {
  const w = workspace();
  const db = openDatabase(w.dbPath, { readonly: true });
  try {
    await importFiles(w.db, [csv(w.dir, 'a.csv', 3000, 97, 1)]);
    enableFactsMemory(db);
    enableAddressMemory(db);
    enableValuesMemory(db);
    assert.deepEqual(restoreMemories(db), ['facts', 'address', 'values']);
    assert.equal(refreshMemories(db), false, 'nothing newer kept');
    await importFiles(w.db, [csv(w.dir, 'small.csv', 500, 98, 8)]);
    assert.equal(refreshMemories(db), false, 'a small append is loaded within the request instead');
    checkExact(db, w.db, 'small append');
    await importFiles(w.db, [csv(w.dir, 'big.csv', 21_000, 99, 12)]);
    assert.equal(refreshMemories(db), true, 'the import kept 21 000 more records');
    db.transaction(() => {
      assert.notEqual(factsMirror(db, factsCoverage(db)), null, 'facts answer from memory');
      assert.notEqual(valuesMirror(db, factsCoverage(db)), null, 'values answer from memory');
    })();
    assert.equal(stepsLeft(db), 0, 'nothing left to load');
    assert.equal(refreshMemories(db), false, 'taken once');
    checkExact(db, w.db, 'refreshed');
  } finally {
    db.close();
    w.cleanup();
  }
});
