/**
 * The summaries and the insights rollup's hours grouped from record_facts (summary-facts.ts) hold
 * exactly the rows that grouping the records gives: same hours (also before 1970), same NULL
 * sentinels, same counts, also when a range is added in two steps (rows of one key then add up).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import { updateInsightsRollup } from '../../main/engine/insights/rollup';
import { factsCoverage, updateRecordFacts } from '../../main/engine/query/record-facts';
import { HOUR_MS, invalidateSummary, NO_HOUR, updateSummary } from '../../main/engine/query/summary';
import { groupFactsByHour, shareHourGroups } from '../../main/engine/query/summary-facts';
import { importFiles, workspace } from './import-fixture';
import { writeCaseExports } from './summary-brute';

const TABLES = ['summary_hour', 'summary_facets', 'summary_domain_hour', 'insights_domain_hour'];

function snapshot(db: Database): Record<string, unknown[]> {
  return Object.fromEntries(
    TABLES.map((t) => [
      t,
      db
        .prepare(`SELECT * FROM ${t}`)
        .raw()
        .all()
        .map((row) => JSON.stringify(row))
        .sort(),
    ]),
  );
}

const grouped = (db: Database): number =>
  db
    .prepare("SELECT count(*) FROM temp.sqlite_master WHERE name = 'facts_hour_combo'")
    .pluck()
    .get() as number;

test('summaries and rollup hours from record_facts equal those grouped from the records', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 21);
    // Records on both sides of 1970-01-01 (negative times round down to their hour).
    const c = path.join(w.dir, 'c.csv');
    writeFileSync(
      c,
      toCsv(generateRows({ rows: 400, seed: 5, startMs: Date.UTC(1969, 11, 31, 21), spanDays: 0.3 })),
    );
    await importFiles(w.db, [a]);
    await importFiles(w.db, [b, c]);
    const total = w.db.prepare('SELECT max(id) FROM records').pluck().get() as number;
    assert.equal(factsCoverage(w.db), total, 'the import filled record_facts');
    const fromImport = snapshot(w.db);
    assert.ok(fromImport.summary_hour.length > 100);

    // From the records: invalidateSummary empties record_facts too, so every chunk takes that path.
    invalidateSummary(w.db);
    assert.equal(factsCoverage(w.db), 0);
    w.db.exec('DROP TABLE IF EXISTS temp.facts_hour_combo');
    updateSummary(w.db, undefined, 4000);
    updateSummary(w.db);
    updateInsightsRollup(w.db);
    assert.equal(grouped(w.db), 0, 'no chunk was grouped from record_facts');
    const fromRecords = snapshot(w.db);
    assert.deepEqual(fromImport, fromRecords);

    // From record_facts again, in two chunks, the summaries emptied alone.
    updateRecordFacts(w.db);
    w.db.exec(`DELETE FROM summary_hour; DELETE FROM summary_facets; DELETE FROM summary_domain_hour;
      DELETE FROM meta WHERE key IN ('summary_upto', 'summary_mark')`);
    updateSummary(w.db, undefined, 4000);
    updateSummary(w.db);
    updateInsightsRollup(w.db);
    assert.equal(grouped(w.db), 1, 'the chunks were grouped from record_facts');
    assert.deepEqual(snapshot(w.db), fromRecords);
  } finally {
    w.cleanup();
  }
});

test('groupings kept while the summaries and the rollup update together: a repeat equals a grouping anew, other ranges and units are grouped', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 22);
    await importFiles(w.db, [a, b]);
    const total = w.db.prepare('SELECT max(id) FROM records').pluck().get() as number;
    const fromImport = snapshot(w.db);
    const rows = (): unknown[] =>
      w.db.prepare('SELECT hour, cid, n FROM temp.facts_hour_combo ORDER BY 1, 2').raw().all();
    const brute = (lo: number, hi: number, unit: number): unknown[] =>
      w.db
        .prepare(
          `SELECT ifnull(t / ${unit} - (t % ${unit} < 0), ${NO_HOUR}), cid, count(*) FROM record_facts
           WHERE id > ? AND id <= ? GROUP BY 1, 2 ORDER BY 1, 2`,
        )
        .raw()
        .all(lo, hi);
    const kept = (): number =>
      w.db.prepare("SELECT count(*) FROM temp.sqlite_master WHERE name = 'facts_hour_kept'").pluck().get() ===
      0
        ? 0
        : (w.db.prepare('SELECT count(*) FROM temp.facts_hour_kept').pluck().get() as number);
    shareHourGroups(w.db, () => {
      assert.ok(groupFactsByHour(w.db, 0, 4000, HOUR_MS, NO_HOUR));
      assert.deepEqual(rows(), brute(0, 4000, HOUR_MS));
      assert.ok(groupFactsByHour(w.db, 4000, total, HOUR_MS, NO_HOUR));
      assert.deepEqual(rows(), brute(4000, total, HOUR_MS));
      assert.ok(kept() > 0, 'both ranges kept');
      assert.ok(groupFactsByHour(w.db, 0, 4000, HOUR_MS, NO_HOUR));
      assert.deepEqual(rows(), brute(0, 4000, HOUR_MS), 'the repeat, copied');
      assert.ok(groupFactsByHour(w.db, 4000, total, 60_000, NO_HOUR));
      assert.deepEqual(rows(), brute(4000, total, 60_000), 'another unit is grouped anew');
      assert.ok(groupFactsByHour(w.db, 0, 3000, HOUR_MS, NO_HOUR));
      assert.deepEqual(rows(), brute(0, 3000, HOUR_MS), 'another range is grouped anew');
    });
    assert.equal(kept(), 0, 'nothing kept after the update');

    // Summaries and rollup emptied, then updated together with their ranges partly alike.
    w.db.exec(`DELETE FROM summary_hour; DELETE FROM summary_facets; DELETE FROM summary_domain_hour;
      DELETE FROM meta WHERE key IN ('summary_upto', 'summary_mark', 'insights_upto', 'insights_mark')`);
    shareHourGroups(w.db, () => {
      updateSummary(w.db, undefined, 4000);
      updateSummary(w.db);
      updateInsightsRollup(w.db, undefined, 4000);
      updateInsightsRollup(w.db, undefined, 6000);
      updateInsightsRollup(w.db);
    });
    assert.deepEqual(snapshot(w.db), fromImport);
  } finally {
    w.cleanup();
  }
});
