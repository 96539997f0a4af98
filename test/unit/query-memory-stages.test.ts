/**
 * The restore of the kept memories in steps (query/memory-stages.ts), with the order of steps and
 * requests forced: after every number of steps, each filter's count, facets and histogram equal
 * brute force; a filter that reads no memory leaves the restore where it was, one that reads a memory
 * has that memory (and no other) restored first; the finished restore holds exactly what the restore
 * in one go holds. Copies rewritten by an append, or a removal, while the restore runs are not
 * taken, and answers stay exact.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import type { FilterModel } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { removeImport } from '../../main/engine/import/remove';
import {
  addressMemoryCopy,
  enableAddressMemory,
  stepAddressMemory,
} from '../../main/engine/query/address-memory';
import { getFacets } from '../../main/engine/query/facets';
import { enableFactsMemory, factsMemoryCopy, stepFactsMemory } from '../../main/engine/query/facts-memory';
import { getHistogram } from '../../main/engine/query/histogram';
import { keptBounds, MEMORY_CACHE_TABLE, restoreMemories } from '../../main/engine/query/memory-cache';
import { nameOf } from '../../main/engine/query/memory-chunks';
import type { MemoryName } from '../../main/engine/query/memory-pending';
import { refreshMemories } from '../../main/engine/query/memory-refresh';
import { beginStagedRestore, stagedProgress, stepStagedRestore } from '../../main/engine/query/memory-stages';
import { countRows } from '../../main/engine/query/paging';
import { factsCoverage } from '../../main/engine/query/record-facts';
import { recordsGeneration } from '../../main/engine/query/records-generation';
import { searchIndexCoverage } from '../../main/engine/query/search-index';
import {
  enableValuesMemory,
  stepValuesMemory,
  valuesMemoryCopy,
} from '../../main/engine/query/values-memory';
import { EngineHost } from '../../main/engine/worker/host';
import { importFiles, workspace } from './import-fixture';
import { bruteCount, bruteFacets, bruteHistogram, facetsOf } from './summary-brute';

/** Filters no memory serves (summaries and SQL answer them): the restore must not wait for them. */
const NO_MEMORY: readonly FilterModel[] = [
  {},
  { q: 'status:error' },
  { q: 'region:DE1' },
  { q: 'after:2026-10-05' },
];
/** Filters read from memories, with the memories their count reads. */
const WITH_MEMORY: readonly [FilterModel, readonly MemoryName[]][] = [
  [{ q: 'jane' }, ['facts', 'address']],
  [{ q: '-jane' }, ['facts', 'address']],
  [{ q: 'from:news' }, ['facts', 'values']],
  [{ q: 'size>30000 status:ok' }, ['facts', 'values']],
];

function csv(dir: string, name: string, rows: number, seed: number, day: number): string {
  const file = path.join(dir, name);
  writeFileSync(file, toCsv(generateRows({ rows, seed, startMs: Date.UTC(2026, 9, day) })));
  return file;
}

/** Rewrites every kept array as three chunks of uneven length (the real ones are 4 MiB: one here). */
function splitKept(w: Database): void {
  w.transaction(() => {
    const rows = w.prepare(`SELECT name, generation, upto, data FROM ${MEMORY_CACHE_TABLE}`).all() as {
      name: string;
      generation: string;
      upto: number;
      data: Buffer;
    }[];
    w.prepare(`DELETE FROM ${MEMORY_CACHE_TABLE}`).run();
    const put = w.prepare(
      `INSERT INTO ${MEMORY_CACHE_TABLE}(name, generation, upto, data) VALUES (?, ?, ?, ?)`,
    );
    for (const r of rows) {
      const cuts = [0, Math.floor(r.data.length / 5), Math.floor((r.data.length * 3) / 5), r.data.length];
      for (let i = 0; i < 3; i++)
        put.run(nameOf(r.name, i), r.generation, r.upto, r.data.subarray(cuts[i], cuts[i + 1]));
    }
  })();
}

function reader(dbPath: string): Database {
  const db = openDatabase(dbPath, { readonly: true });
  enableFactsMemory(db);
  enableAddressMemory(db);
  enableValuesMemory(db);
  return db;
}

function exact(db: Database, brute: Database, filter: FilterModel, label: string): void {
  const what = `${label} ${JSON.stringify(filter)}`;
  assert.equal(countRows(db, filter), bruteCount(brute, filter), `count ${what}`);
  assert.deepEqual(facetsOf(getFacets(db, filter, 1000)), bruteFacets(brute, filter), `facets ${what}`);
  assert.deepEqual(getHistogram(db, filter, 60), bruteHistogram(brute, filter, 60), `histogram ${what}`);
}

/** The memories' contents, as kept (byte arrays), for comparing two readers. */
function contents(db: Database): unknown {
  return db.transaction(() => {
    const f = factsMemoryCopy(db, factsCoverage(db));
    const a = addressMemoryCopy(db, searchIndexCoverage(db));
    const v = valuesMemoryCopy(db, factsCoverage(db));
    const bytes = (x: Float64Array | Uint16Array | Uint32Array | undefined): Buffer | null =>
      x === undefined ? null : Buffer.from(x.buffer, x.byteOffset, x.byteLength);
    return [bytes(f?.t), bytes(f?.cid), bytes(a?.vid), bytes(v?.size), bytes(v?.sender), v?.senders ?? null];
  })();
}

function stepsLeft(db: Database): number {
  let n = 0;
  const coverage = (): number => factsCoverage(db);
  while (stepFactsMemory(db, coverage) || stepAddressMemory(db) || stepValuesMemory(db, coverage)) n++;
  return n;
}

test('the restore in steps: after any number of steps, answers equal brute force; only the memories a request reads are restored for it', async () => {
  const w = workspace();
  try {
    await importFiles(w.db, [csv(w.dir, 'a.csv', 3000, 71, 1), csv(w.dir, 'b.csv', 2000, 72, 10)]);
    splitKept(w.db);
    const whole = reader(w.dbPath);
    assert.deepEqual(restoreMemories(whole), ['facts', 'address', 'values']);
    const expected = contents(whole);
    whole.close();

    // 6 arrays of 3 chunks, and 3 installs.
    const total = 21;
    for (let k = 0; k <= total; k++) {
      const db = reader(w.dbPath);
      try {
        assert.equal(beginStagedRestore(db), true);
        for (let i = 0; i < k; i++) assert.equal(stepStagedRestore(db), i < total - 1, `step ${i} of ${k}`);
        const before = stagedProgress(db);
        for (const filter of NO_MEMORY) exact(db, w.db, filter, `after ${k} steps`);
        assert.deepEqual(stagedProgress(db), before, `after ${k} steps: no-memory filters wait for nothing`);
        for (const [filter, reads] of WITH_MEMORY) {
          countRows(db, filter);
          const progress = stagedProgress(db);
          if (progress !== null)
            for (const name of reads) assert.equal(progress[name], 'done', `${name} read for ${filter.q}`);
          exact(db, w.db, filter, `after ${k} steps`);
        }
        while (stepStagedRestore(db));
        assert.equal(stagedProgress(db), null);
        assert.deepEqual(contents(db), expected, `after ${k} steps: as restored in one go`);
        assert.equal(stepsLeft(db), 0, 'nothing left to load');
        assert.equal(refreshMemories(db), false, 'nothing newer kept');
      } finally {
        db.close();
      }
    }
    // A search reading the values first: only the values (and what its count reads) are restored.
    const db = reader(w.dbPath);
    try {
      beginStagedRestore(db);
      db.transaction(() => stepValuesMemory(db, () => factsCoverage(db)))();
      assert.deepEqual(stagedProgress(db), { facts: 'reading', address: 'reading', values: 'done' });
      // The restore in one go replaces the steps: they do not install their (same or older) copies after it.
      assert.deepEqual(restoreMemories(db), ['facts', 'address', 'values']);
      assert.equal(stagedProgress(db), null);
      assert.equal(stepStagedRestore(db), false);
    } finally {
      db.close();
    }
  } finally {
    w.cleanup();
  }
});

test('while the restore runs, the check for newer copies before each request (memory-refresh.ts) does not restore them in one go', async () => {
  const w = workspace();
  try {
    // More than a load step (MIRROR_CHUNK) of records, so copies are "ahead" of a reader holding none.
    await importFiles(w.db, [csv(w.dir, 'a.csv', 21_000, 76, 1)]);
    const db = reader(w.dbPath);
    try {
      beginStagedRestore(db);
      stepStagedRestore(db);
      const before = stagedProgress(db);
      assert.notEqual(before, null);
      assert.equal(refreshMemories(db), false);
      assert.deepEqual(stagedProgress(db), before, 'the steps go on where they were');
      while (stepStagedRestore(db));
      assert.deepEqual(keptBounds(db), {
        generation: recordsGeneration(w.db),
        facts: 21_000,
        address: 21_000,
        values: 21_000,
      });
      assert.equal(refreshMemories(db), false, 'what is kept is held');
    } finally {
      db.close();
    }
  } finally {
    w.cleanup();
  }
});

test('copies rewritten by an append, or a removal, while the restore runs are not taken; answers stay exact', async () => {
  const w = workspace();
  try {
    await importFiles(w.db, [csv(w.dir, 'a.csv', 3000, 73, 1), csv(w.dir, 'b.csv', 2000, 74, 10)]);
    splitKept(w.db);
    const filters = [...NO_MEMORY, ...WITH_MEMORY.map(([f]) => f)];

    // An append keeps new copies (another bound) after two chunks of facts.t were read.
    let db = reader(w.dbPath);
    try {
      beginStagedRestore(db);
      stepStagedRestore(db);
      stepStagedRestore(db);
      await importFiles(w.db, [csv(w.dir, 'c.csv', 900, 75, 20)]);
      while (stepStagedRestore(db));
      assert.equal(keptBounds(db)?.facts, 0, 'the old bound was not taken');
      for (const filter of filters) exact(db, w.db, filter, 'appended during the restore');
      assert.equal(refreshMemories(db), false, 'a small append: loaded within the requests');
      stepsLeft(db);
      for (const filter of filters) exact(db, w.db, filter, 'appended, loaded');
    } finally {
      db.close();
    }

    // A removal (another generation) before the facts are installed.
    splitKept(w.db);
    db = reader(w.dbPath);
    try {
      beginStagedRestore(db);
      for (let i = 0; i < 6; i++) stepStagedRestore(db);
      const first = w.db.prepare('SELECT min(id) FROM imports').pluck().get() as number;
      await removeImport(w.db, first, new AbortController().signal);
      while (stepStagedRestore(db));
      assert.equal(keptBounds(db)?.facts, 0, 'copies of the old generation not taken');
      for (const filter of filters) exact(db, w.db, filter, 'removed during the restore');
    } finally {
      db.close();
    }
  } finally {
    w.cleanup();
  }
});

test('through the host: the first searches, sent the moment it has started, are answered exactly', async () => {
  const w = workspace();
  try {
    await importFiles(w.db, [csv(w.dir, 'a.csv', 4000, 77, 1)]);
    splitKept(w.db);
    w.db.close();
    const host = await EngineHost.start(w.dbPath);
    const brute = openDatabase(w.dbPath, { readonly: true });
    try {
      const filters = [...NO_MEMORY, ...WITH_MEMORY.map(([f]) => f)];
      const answers = await Promise.all(
        filters.map((filter) =>
          Promise.all([
            host.invoke('rows:count', { filter }),
            host.invoke('facets:get', { filter, top: 1000 }).then(facetsOf),
            host.invoke('histogram:get', { filter, buckets: 60 }),
          ]),
        ),
      );
      filters.forEach((filter, i) =>
        assert.deepEqual(
          answers[i],
          [bruteCount(brute, filter), bruteFacets(brute, filter), bruteHistogram(brute, filter, 60)],
          JSON.stringify(filter),
        ),
      );
    } finally {
      brute.close();
      await host.close();
    }
  } finally {
    w.cleanup();
  }
});
