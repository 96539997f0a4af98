import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countRows } from '../../main/engine/query';
import { foldedExpr } from '../../main/engine/query/filter';
import {
  SEARCH_COLUMNS,
  searchIndexCoverage,
  updateSearchIndex,
  SEARCH_INDEX_UPTO_KEY,
} from '../../main/engine/query/search-index';
import { isSearchIndexReady } from '../../main/engine/workspace';
import { fillRecords } from '../../bench/query-data';
import { insertRecord, tempWorkspace } from './query-fixture';

function vocab(ws: ReturnType<typeof tempWorkspace>): number {
  return (ws.db.prepare('SELECT count(*) AS n FROM search_vocab').get() as { n: number }).n;
}

test('the index is built once, then only new records are added; the ready flag follows', () => {
  const ws = tempWorkspace();
  try {
    fillRecords(ws.db, { rows: 600, seed: 11 });
    assert.equal(isSearchIndexReady(ws.db), false);
    assert.equal(searchIndexCoverage(ws.db), 0);
    updateSearchIndex(ws.db);
    assert.equal(isSearchIndexReady(ws.db), true);
    const max = (ws.db.prepare('SELECT max(id) AS m FROM records').get() as { m: number }).m;
    assert.equal(searchIndexCoverage(ws.db), max);
    const before = vocab(ws);
    // Every distinct recipient is in the vocabulary (case-folded), and the trigram index finds them.
    const distinctTo = (
      ws.db.prepare('SELECT count(DISTINCT lower(message_to)) AS n FROM records').get() as { n: number }
    ).n;
    const toValues = (
      ws.db.prepare('SELECT count(*) AS n FROM search_vocab WHERE col = 0').get() as { n: number }
    ).n;
    assert.equal(toValues, distinctTo);
    // Each column's vocabulary is exactly its distinct values (folded where the column is), '' standing
    // for empty and NULL (universal-words.ts reads it), whether read from its own index or, without
    // one, in the shared DISTINCT pass.
    SEARCH_COLUMNS.forEach((col, i) => {
      const expr = foldedExpr(col);
      const want = ws.db.prepare(`SELECT DISTINCT ifnull(${expr}, '') FROM records ORDER BY 1`).pluck().all();
      const got = ws.db.prepare('SELECT value FROM search_vocab WHERE col = ? ORDER BY 1').pluck().all(i);
      assert.ok(want.length > 0, `${col} has values in the fixture`);
      assert.deepEqual(got, want, col);
    });
    const fts = (
      ws.db.prepare("SELECT count(*) AS n FROM search_vocab_fts WHERE value LIKE '%@kunde.de%'").get() as {
        n: number;
      }
    ).n;
    assert.ok(fts > 0);

    updateSearchIndex(ws.db);
    assert.equal(vocab(ws), before, 'a second run with nothing new adds nothing');

    insertRecord(ws.db, { message_to: 'brand.new@fresh.example', message_to_domain: 'fresh.example' });
    assert.equal(
      countRows(ws.db, { q: 'brand.new' }),
      1,
      'found by LIKE over the new id range before the update',
    );
    updateSearchIndex(ws.db);
    // Its address and domain, and '' for the two sender columns it leaves empty (the fixture's
    // records all have a sender).
    assert.equal(vocab(ws), before + 4);
    assert.deepEqual(
      ws.db
        .prepare("SELECT col FROM search_vocab WHERE value = '' AND col IN (1, 3) ORDER BY col")
        .pluck()
        .all(),
      [1, 3],
    );
    assert.equal(countRows(ws.db, { q: 'brand.new' }), 1);
  } finally {
    ws.close();
  }
});

test('a cancelled update leaves the index usable for what it covered and sets no ready flag', () => {
  const ws = tempWorkspace();
  try {
    fillRecords(ws.db, { rows: 300, seed: 12 });
    const ac = new AbortController();
    ac.abort();
    assert.throws(
      () => updateSearchIndex(ws.db, ac.signal),
      (e: Error) => e.name === 'AbortError',
    );
    assert.equal(isSearchIndexReady(ws.db), false);
    assert.equal(searchIndexCoverage(ws.db), 0);
    assert.equal(
      countRows(ws.db, { q: 'jane' }),
      (
        ws.db
          .prepare(
            "SELECT count(*) AS n FROM records WHERE message_to LIKE '%jane%' OR smtp_status_code LIKE '%jane%'",
          )
          .get() as { n: number }
      ).n,
    );
  } finally {
    ws.close();
  }
});

test('records cleared and re-imported into reused ids are not trusted to the old vocabulary', () => {
  const ws = tempWorkspace();
  try {
    fillRecords(ws.db, { rows: 200, seed: 13 });
    updateSearchIndex(ws.db);
    ws.db.exec('DELETE FROM records');
    for (let i = 0; i < 250; i++)
      insertRecord(ws.db, {
        message_to: `other${i}@reused.example`,
        creation_time: '2026-10-01 00:00:00.000',
      });
    // The vocabulary knows none of these; the old upto still points into the reused id range.
    assert.ok(
      Number(
        (
          ws.db.prepare('SELECT value FROM meta WHERE key = ?').get(SEARCH_INDEX_UPTO_KEY) as {
            value: string;
          }
        ).value,
      ) > 0,
    );
    assert.equal(searchIndexCoverage(ws.db), 0);
    assert.equal(countRows(ws.db, { q: 'reused.example' }), 250);
    updateSearchIndex(ws.db);
    assert.ok(searchIndexCoverage(ws.db) > 0);
    assert.equal(countRows(ws.db, { q: 'reused.example' }), 250);
    assert.equal(countRows(ws.db, { q: 'to:other12' }), 11);
  } finally {
    ws.close();
  }
});
