/**
 * The aggregate reader's copies kept in the workspace (memory-cache.ts): a reader that opens takes
 * them without a load step and answers from memory at once, exactly as brute force; a kept copy never
 * answers for records it does not hold: after an append (the delta is loaded on top), after a
 * removal and a re-import (another generation: ignored), with record_facts' coverage below the
 * copy's bound (ignored), after a write that failed halfway (the previous copies stay whole), and
 * while another connection writes (nothing written, nothing thrown).
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
  addressMatchIds,
  addressMemoryCopy,
  enableAddressMemory,
  stepAddressMemory,
} from '../../main/engine/query/address-memory';
import { getFacets } from '../../main/engine/query/facets';
import {
  enableFactsMemory,
  factsMemoryCopy,
  factsMirror,
  stepFactsMemory,
} from '../../main/engine/query/facts-memory';
import { getHistogram } from '../../main/engine/query/histogram';
import {
  MEMORY_CACHE_TABLE,
  persistMemories,
  restoreMemories,
  writeParts,
} from '../../main/engine/query/memory-cache';
import { countRows } from '../../main/engine/query/paging';
import { factsCoverage } from '../../main/engine/query/record-facts';
import { recordsGeneration } from '../../main/engine/query/records-generation';
import { searchIndexCoverage, updateSearchIndex } from '../../main/engine/query/search-index';
import {
  enableValuesMemory,
  stepValuesMemory,
  valuesMemoryCopy,
  valuesMirror,
} from '../../main/engine/query/values-memory';
import { importFiles, workspace } from './import-fixture';
import { bruteCount, bruteFacets, bruteHistogram, facetsOf, leaveFactsPending } from './summary-brute';

const FILTERS: readonly FilterModel[] = [
  {},
  { q: 'jane' },
  { q: '-jane' },
  { q: 'from:news' },
  { q: 'size>30000 status:ok' },
  { q: '-from:news -jane' },
  { q: 'status:error after:2026-10-05' },
];

/** Imports without the memories phase (import/keep-memories.ts). */
const OWN = { keepMemories: false } as const;

function reader(dbPath: string): Database {
  const db = openDatabase(dbPath, { readonly: true });
  enableFactsMemory(db);
  enableAddressMemory(db);
  enableValuesMemory(db);
  return db;
}

function loadAll(db: Database): void {
  while (
    stepFactsMemory(db, () => factsCoverage(db)) ||
    stepAddressMemory(db) ||
    stepValuesMemory(db, () => factsCoverage(db))
  );
}

/** Whether each memory answers now, without a load step (the callers' own checks). */
function fromMemory(db: Database): { facts: boolean; address: boolean; values: boolean } {
  return db.transaction(() => {
    const facts = factsCoverage(db);
    return {
      facts: factsMirror(db, facts) !== null,
      address: addressMatchIds(db, 'jane', searchIndexCoverage(db)) !== null,
      values: valuesMirror(db, facts) !== null,
    };
  })();
}

function checkExact(db: Database, writer: Database, label: string): void {
  for (const filter of FILTERS) {
    const what = `${label} ${JSON.stringify(filter)}`;
    assert.equal(countRows(db, filter), bruteCount(writer, filter), `count ${what}`);
    assert.deepEqual(facetsOf(getFacets(db, filter, 1000)), bruteFacets(writer, filter), `facets ${what}`);
    assert.deepEqual(getHistogram(db, filter, 60), bruteHistogram(writer, filter, 60), `histogram ${what}`);
  }
}

function copies(db: Database): unknown {
  return db.transaction(() => {
    const facts = factsCoverage(db);
    const plain = <T extends object | null>(c: T): unknown =>
      c === null ? null : JSON.parse(JSON.stringify(c));
    return {
      facts: plain(factsMemoryCopy(db, facts)),
      address: plain(addressMemoryCopy(db, searchIndexCoverage(db))),
      values: plain(valuesMemoryCopy(db, facts)),
    };
  })();
}

function keptRows(db: Database): { name: string; generation: string; upto: number }[] {
  return db.prepare(`SELECT name, generation, upto FROM ${MEMORY_CACHE_TABLE} ORDER BY name`).all() as {
    name: string;
    generation: string;
    upto: number;
  }[];
}

/** Opens a reader on the workspace as the app does: kept copies first, then load steps. */
function withReader(dbPath: string, run: (db: Database, restored: string[]) => void): void {
  const db = reader(dbPath);
  try {
    run(db, restoreMemories(db));
  } finally {
    db.close();
  }
}

test('memories kept in the workspace answer at once and never for records they do not hold', async () => {
  const w = workspace();
  const files = [
    { rows: 3000, seed: 71, startMs: Date.UTC(2026, 9, 1) },
    { rows: 2000, seed: 72, startMs: Date.UTC(2026, 9, 10) },
    { rows: 900, seed: 73, startMs: Date.UTC(2026, 9, 20) },
  ].map((opts, i) => {
    const file = path.join(w.dir, `${i}.csv`);
    writeFileSync(file, toCsv(generateRows(opts)));
    return file;
  });
  try {
    // The import's own memories phase is off here: this test is about the reader's own copies
    // (the import's: import-keep-memories.test.ts).
    await importFiles(w.db, files.slice(0, 2), OWN);
    w.db.exec(`UPDATE records SET message_size = NULL WHERE id % 17 = 0;
      UPDATE records SET message_from = NULL WHERE id % 23 = 0`);
    updateSearchIndex(w.db);

    // Nothing kept yet: nothing restored, loaded by steps, then written.
    let loaded: unknown;
    withReader(w.dbPath, (db, restored) => {
      assert.deepEqual(restored, []);
      assert.deepEqual(fromMemory(db), { facts: false, address: false, values: false });
      loadAll(db);
      loaded = copies(db);
      assert.equal(persistMemories(db, w.dbPath), false, 'the last step of the idle loop');
    });
    const generation = recordsGeneration(w.db);
    assert.deepEqual(
      keptRows(w.db).map((r) => [r.name, r.generation]),
      [
        'address.vid',
        'counts.address2',
        'counts.address2.many',
        'facts.cid',
        'facts.t',
        'values.sender',
        'values.senders',
        'values.size',
      ].map((n) => [n, generation]),
    );

    // A reader opening later takes them without a step: the same arrays, answers from memory, exact.
    withReader(w.dbPath, (db, restored) => {
      assert.deepEqual(restored, ['facts', 'address', 'values']);
      assert.deepEqual(fromMemory(db), { facts: true, address: true, values: true });
      assert.deepEqual(copies(db), loaded);
      checkExact(db, w.db, 'restored');
    });

    // A write that fails halfway leaves the previous copies whole.
    const before = w.db
      .prepare(`SELECT name, upto, hex(data) AS d FROM ${MEMORY_CACHE_TABLE} ORDER BY name`)
      .all();
    assert.throws(() =>
      writeParts(w.db, generation, [
        ['facts.t', 1, Buffer.alloc(16)],
        ['facts.cid', 1, null as unknown as Buffer],
      ]),
    );
    assert.deepEqual(
      w.db.prepare(`SELECT name, upto, hex(data) AS d FROM ${MEMORY_CACHE_TABLE} ORDER BY name`).all(),
      before,
    );

    // Appended records: the copies hold the old ones, the steps (or a request) load the rest.
    await importFiles(w.db, files.slice(2), OWN);
    updateSearchIndex(w.db);
    withReader(w.dbPath, (db, restored) => {
      assert.deepEqual(restored, ['facts', 'address', 'values']);
      checkExact(db, w.db, 'after an append, copies behind');
      loadAll(db);
      assert.deepEqual(fromMemory(db), { facts: true, address: true, values: true });
      checkExact(db, w.db, 'after an append, caught up');
      // Another connection writing: nothing written, nothing thrown; written once it is done.
      w.db.exec('BEGIN IMMEDIATE');
      try {
        assert.equal(persistMemories(db, w.dbPath), false);
      } finally {
        w.db.exec('COMMIT');
      }
      assert.ok(
        keptRows(w.db).every((r) => r.upto < factsCoverage(w.db)),
        'nothing written while busy',
      );
      persistMemories(db, w.dbPath);
      assert.ok(
        keptRows(w.db).every((r) => r.upto === factsCoverage(w.db)),
        'written after',
      );
    });

    // A removed import, then the same file imported again: another generation, nothing taken.
    const middle = w.db
      .prepare('SELECT id FROM imports ORDER BY id LIMIT 1 OFFSET 1')
      .pluck()
      .get() as number;
    await removeImport(w.db, middle, new AbortController().signal);
    updateSearchIndex(w.db);
    withReader(w.dbPath, (db, restored) => {
      assert.deepEqual(restored, []);
      checkExact(db, w.db, 'after a removal');
    });
    await importFiles(w.db, [files[1]], OWN);
    updateSearchIndex(w.db);
    withReader(w.dbPath, (db, restored) => {
      assert.deepEqual(restored, []);
      assert.deepEqual(fromMemory(db), { facts: false, address: false, values: false });
      checkExact(db, w.db, 're-imported, not loaded');
      loadAll(db);
      persistMemories(db, w.dbPath);
    });
    assert.ok(
      keptRows(w.db).every((r) => r.generation === recordsGeneration(w.db)),
      'only the new generation kept',
    );
    withReader(w.dbPath, (db, restored) => {
      assert.deepEqual(restored, ['facts', 'address', 'values']);
      checkExact(db, w.db, 're-imported, restored');
    });
    // record_facts' coverage below the kept bound (its update pending): those copies are not taken.
    leaveFactsPending(w.db, 1200);
    withReader(w.dbPath, (db, restored) => {
      assert.deepEqual(restored, ['address']);
      assert.deepEqual(fromMemory(db), { facts: false, address: true, values: false });
      checkExact(db, w.db, 'coverage below the kept bound');
    });
  } finally {
    w.cleanup();
  }
});
