import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import { countRows } from '../../main/engine/query';
import { SEARCH_INDEX_UPTO_KEY, updateSearchIndex } from '../../main/engine/query/search-index';
import { fillRecords } from '../../bench/query-data';
import { insertRecord, tempWorkspace } from './query-fixture';

/** Vocabulary ids whose value holds `needle` (3 characters), by the trigram index. */
function ftsIds(db: Database, needle: string): number[] {
  return db
    .prepare('SELECT rowid FROM search_vocab_fts WHERE search_vocab_fts MATCH ? ORDER BY rowid')
    .pluck()
    .all(`"${needle.replaceAll('"', '""')}"`) as number[];
}

/** The same by brute force over every vocabulary value (ASCII needles: lower() folds them as FTS5 does). */
function bruteIds(db: Database, needle: string): number[] {
  return db
    .prepare('SELECT id FROM search_vocab WHERE instr(lower(value), lower(?)) > 0 ORDER BY id')
    .pluck()
    .all(needle) as number[];
}

/** Any 3 characters of any vocabulary value, as the trigram index splits them. */
function sameAsBrute(db: Database, label: string): void {
  const values = db
    .prepare("SELECT value FROM search_vocab WHERE value GLOB '*???*'")
    .pluck()
    .all() as string[];
  const ascii = values.filter((v) => /^[\x20-\x7e]+$/.test(v));
  assert.ok(ascii.length > 10, `${label}: the fixture has values to search`);
  fc.assert(
    fc.property(fc.nat(ascii.length - 1), fc.nat(), (i, at) => {
      const v = ascii[i];
      const needle = v.slice(at % (v.length - 2), (at % (v.length - 2)) + 3);
      assert.deepEqual(ftsIds(db, needle), bruteIds(db, needle), `${label}: ${needle}`);
    }),
    { numRuns: 60 },
  );
}

test('the first build recreates the trigram index without column sizes; matches equal a brute-force scan, also after an append and a rebuild over a vocabulary left in place', () => {
  const ws = tempWorkspace();
  try {
    fillRecords(ws.db, { rows: 500, seed: 21 });
    const sql = (): string =>
      ws.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'search_vocab_fts'").pluck().get() as string;
    assert.doesNotMatch(sql(), /columnsize/, 'migration 2 creates it with the default');
    updateSearchIndex(ws.db);
    assert.match(sql(), /columnsize = 0/);
    sameAsBrute(ws.db, 'first build');

    for (let i = 0; i < 40; i++)
      insertRecord(ws.db, { message_to: `zq${i}x@append.example`, message_to_domain: 'append.example' });
    updateSearchIndex(ws.db);
    sameAsBrute(ws.db, 'after an append');
    assert.equal(countRows(ws.db, { q: 'append.example' }), 40);

    // Coverage lost without the records being cleared (an interrupted first build's meta, say): the
    // vocabulary stays, the index is built again from all of it, each value once.
    ws.db.prepare("DELETE FROM meta WHERE key IN (?, 'search_index_mark')").run(SEARCH_INDEX_UPTO_KEY);
    const vocab = ws.db.prepare('SELECT count(*) FROM search_vocab').pluck().get() as number;
    updateSearchIndex(ws.db);
    assert.equal(ws.db.prepare('SELECT count(*) FROM search_vocab').pluck().get(), vocab);
    sameAsBrute(ws.db, 'rebuilt in place');
    assert.equal(countRows(ws.db, { q: 'zq1' }), 11);
  } finally {
    ws.close();
  }
});

test('records cleared: the index is emptied and built again; matches equal a brute-force scan', () => {
  const ws = tempWorkspace();
  try {
    fillRecords(ws.db, { rows: 300, seed: 22 });
    updateSearchIndex(ws.db);
    ws.db.exec('DELETE FROM records');
    for (let i = 0; i < 60; i++) insertRecord(ws.db, { message_to: `kept${i}@second.example` });
    updateSearchIndex(ws.db);
    sameAsBrute(ws.db, 'after the records were cleared');
    assert.deepEqual(ftsIds(ws.db, 'kep').length, 60);
  } finally {
    ws.close();
  }
});
