/**
 * The partial grid indexes (grid-partial.ts) through the importer: a fresh import builds them up to
 * the last id before grid-ready; an append neither rebuilds nor changes them; a SIGKILL in the
 * search-index phase that rebuilds them leaves each index old or rebuilt, never half, with the
 * readers exact either way.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import { openDatabase } from '../../main/engine/db/open';
import { planIndexes } from '../../main/engine/import/index-plan';
import { getDrilldown } from '../../main/engine/query/drilldown';
import { gridBounds, type GridBounds } from '../../main/engine/query/grid-partial';
import { lookupAddresses } from '../../main/engine/query/lookup';
import { clearQueryCache, countRows, queryPage } from '../../main/engine/query/paging';
import { maxRecordId, updateSearchIndex } from '../../main/engine/query/search-index';
import { importFiles, killDuring, workspace } from './import-fixture';

const at = (n: number): GridBounds => ({ to: n, domain: n, correlation: n, smtp: n, usage: n });

/** Lookups, drilldowns, `to:` counts and To-sorted pages of values from the newest records, against scans. */
function assertExact(db: Database, label: string): void {
  clearQueryCache(db);
  const newest = db
    .prepare('SELECT message_to, correlation_id FROM records ORDER BY id DESC LIMIT 3')
    .all() as { message_to: string; correlation_id: string }[];
  for (const r of newest) {
    const n = db
      .prepare('SELECT count(*) FROM records NOT INDEXED WHERE lower(message_to) = lower(?)')
      .pluck()
      .get(r.message_to);
    assert.equal(lookupAddresses(db, [r.message_to])[0]?.found, n, `${label}: lookup ${r.message_to}`);
    const ids = db
      .prepare(
        'SELECT id FROM records NOT INDEXED WHERE correlation_id = ? ORDER BY creation_time_ms, version, id',
      )
      .pluck()
      .all(r.correlation_id);
    assert.deepEqual(
      getDrilldown(db, r.correlation_id).entries.map((e) => e.record.id),
      ids,
      `${label}: drilldown ${r.correlation_id}`,
    );
    const local = r.message_to.slice(0, r.message_to.indexOf('@'));
    const like = db
      .prepare("SELECT count(*) FROM records NOT INDEXED WHERE message_to LIKE ? ESCAPE '\\'")
      .pluck()
      .get(`%${local}%`);
    assert.equal(countRows(db, { q: `to:${local}` }), like, `${label}: to:${local}`);
  }
  const total = maxRecordId(db);
  const page = queryPage(db, {
    filter: {},
    sort: [{ column: 'message_to', dir: 'desc' }],
    startRow: total - 40,
    endRow: total,
  });
  const want = db
    .prepare('SELECT id FROM records NOT INDEXED ORDER BY lower(message_to) DESC, id DESC LIMIT 40 OFFSET ?')
    .pluck()
    .all(total - 40);
  assert.deepEqual(
    page.rows.map((r) => r.id),
    want,
    `${label}: last page sorted by To`,
  );
}

test('a fresh import builds the partial indexes up to the last id; an append leaves them as they are', async () => {
  const w = workspace();
  try {
    const first = path.join(w.dir, 'case.csv');
    writeFileSync(first, toCsv(generateRows({ rows: 6000, seed: 42 })));
    await importFiles(w.db, [first]);
    assert.deepEqual(gridBounds(w.db), at(6000));
    for (const share of [0.01, 0.25, 0.5]) {
      const plan = planIndexes(w.db, 0, share);
      for (const name of ['records_to', 'records_to_domain', 'records_correlation'])
        assert.ok(!plan.rebuild.some((i) => i.name === name), `${name} not rebuilt at ${share}`);
      // No entries for the new rows, but an expression index on the table still makes SQLite open a
      // statement journal for a multi-row INSERT: one row per statement (index-plan.ts).
      assert.equal(plan.singleRow, true, `one row per statement at ${share}`);
    }
    // 50 rows (a delta under the share): the bounds stay through the load and the search-index phase.
    const small = path.join(w.dir, 'small.csv');
    writeFileSync(small, toCsv(generateRows({ rows: 50, seed: 7, startMs: Date.UTC(2026, 10, 5) })));
    await importFiles(w.db, [small]);
    assert.equal(maxRecordId(w.db), 6050);
    updateSearchIndex(w.db);
    assert.deepEqual(gridBounds(w.db), at(6000));
    assertExact(w.db, 'small append');
  } finally {
    w.cleanup();
  }
});

test('a SIGKILL in the search-index phase of an append leaves each partial index old or rebuilt; the next update rebuilds it', async () => {
  const w = workspace();
  try {
    const first = path.join(w.dir, 'case.csv');
    writeFileSync(first, toCsv(generateRows({ rows: 8000, seed: 42 })));
    await importFiles(w.db, [first]);
    const more = path.join(w.dir, 'more.csv');
    writeFileSync(more, toCsv(generateRows({ rows: 3000, seed: 5, startMs: Date.UTC(2026, 10, 5) })));
    w.db.close();
    const outcome = await killDuring(w.dbPath, more, 'search-index', w.dir);
    assert.match(outcome, /^SIGKILL reached/, outcome);
    const db = openDatabase(w.dbPath);
    try {
      assert.equal(db.pragma('quick_check', { simple: true }), 'ok');
      assert.equal(maxRecordId(db), 11000);
      const b = gridBounds(db);
      for (const [name, upto] of Object.entries(b))
        assert.ok(upto === 8000 || upto === 11000, `${name} bound ${String(upto)}`);
      assertExact(db, 'after the kill');
      updateSearchIndex(db);
      assert.deepEqual(gridBounds(db), at(11000));
      assertExact(db, 'after the next update');
    } finally {
      db.close();
    }
  } finally {
    w.cleanup();
  }
});
