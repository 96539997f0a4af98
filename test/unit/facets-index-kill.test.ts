/**
 * The facet index's rebuild in the search-index phase (facets-index.ts) after an append: a SIGKILL in
 * that phase leaves an index whose bound and entries agree (the old one or the rebuilt one), facets
 * stay exact, and the next update finishes the rebuild.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import { openDatabase } from '../../main/engine/db/open';
import { DELTA_SHARE, facetsIndexUpto } from '../../main/engine/query/facets-index';
import { facetCombos, type Combo } from '../../main/engine/query/facets-plan';
import type { SqlPart } from '../../main/engine/query/filter';
import { maxRecordId, updateSearchIndex } from '../../main/engine/query/search-index';
import { importFiles, killDuring, workspace } from './import-fixture';

const COLS =
  'status, substatus, status_details, smtp_code, processing_region, entry_interface, message_to_domain';

const WHERES: SqlPart[] = [
  { sql: '1', params: [] },
  { sql: 'NOT ifnull((status IN (?)), 0)', params: ['ERROR'] },
  { sql: 'smtp_code = ?', params: [550] },
];

const sorted = (combos: readonly Combo[]): string[] => combos.map((c) => JSON.stringify(c)).sort();

function assertExact(db: Database, label: string): void {
  for (const where of WHERES) {
    const want = db
      .prepare(
        `SELECT ${COLS}, count(*) FROM records NOT INDEXED WHERE ${where.sql} GROUP BY 1, 2, 3, 4, 5, 6, 7`,
      )
      .raw()
      .all(...where.params) as Combo[];
    assert.deepEqual(sorted(facetCombos(db, where, 20).combos), sorted(want), `${label}: ${where.sql}`);
  }
}

test('a SIGKILL in the search-index phase of an append leaves the facet index exact; the next update rebuilds it', async () => {
  const w = workspace();
  try {
    const first = path.join(w.dir, 'case.csv');
    writeFileSync(first, toCsv(generateRows({ rows: 8000, seed: 42 })));
    await importFiles(w.db, [first]);
    assert.equal(facetsIndexUpto(w.db), 8000);
    // 1000 rows: a share under the plan's 0.15 (the index stays through the load) but a delta over
    // DELTA_SHARE, so the search-index phase rebuilds it.
    const more = path.join(w.dir, 'more.csv');
    writeFileSync(more, toCsv(generateRows({ rows: 1000, seed: 5, startMs: Date.UTC(2026, 10, 5) })));
    assert.ok(1000 / 9000 > DELTA_SHARE);
    w.db.close();
    const outcome = await killDuring(w.dbPath, more, 'search-index', w.dir);
    assert.match(outcome, /^SIGKILL reached/, outcome);
    const db = openDatabase(w.dbPath);
    try {
      assert.equal(db.pragma('quick_check', { simple: true }), 'ok');
      // The rows committed before the phase; the index is the old one or the rebuilt one, never half.
      assert.equal(maxRecordId(db), 9000);
      assert.ok([8000, 9000].includes(facetsIndexUpto(db) ?? -1), `bound ${facetsIndexUpto(db)}`);
      assertExact(db, 'after the kill');
      updateSearchIndex(db);
      assert.equal(facetsIndexUpto(db), 9000);
      assertExact(db, 'after the next update');
    } finally {
      db.close();
    }
  } finally {
    w.cleanup();
  }
});
