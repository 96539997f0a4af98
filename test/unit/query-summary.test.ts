/**
 * Counts and histograms answered from the hourly summary equal a brute-force count over the records,
 * for random filters of the search syntax, after an append, and with records not yet summarised.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateRows, rng, toCsv } from '../../bench/generate';
import type { FilterModel } from '../../common/contract';
import { getFacetsWithPlan } from '../../main/engine/query/facets';
import { openDatabase } from '../../main/engine/db/open';
import { getHistogram } from '../../main/engine/query/histogram';
import { clearQueryCache, countRows } from '../../main/engine/query/paging';
import {
  invalidateSummary,
  summaryCoverage,
  summaryFilter,
  updateSummary,
} from '../../main/engine/query/summary';
import { importFiles, workspace } from './import-fixture';
import {
  bruteCount,
  bruteFacets,
  bruteHistogram,
  facetsOf,
  randomSummaryFilter,
  writeCaseExports,
} from './summary-brute';

const TERMS = [
  'status:error',
  'status:ok',
  'substatus:bounced',
  'substatus:delivered',
  'details:soft_bounce',
  'details:hard_bounce',
  'details:suppressed',
  'region:DE1',
  'region:CH1',
  'interface:smtp',
  'interface:rest',
  'smtp:5xx',
  'smtp:550',
  'smtp:2xx',
  'after:2026-10-10',
  'before:2026-10-20',
  'after:2026-11-06',
];

const randomFilter = (r: () => number): FilterModel => randomSummaryFilter(TERMS, r);

test('counts, facets and histograms from the summary equal a brute-force count, after an append and with rows pending', async () => {
  const w = workspace();
  try {
    // Overlapping hours with the first file, and some after it.
    const [a, b] = writeCaseExports(w.dir, 42);
    await importFiles(w.db, [a]);
    await importFiles(w.db, [b]);
    assert.ok(summaryCoverage(w.db) > 0, 'the imports kept the summary');
    const r = rng(1234);
    const check = (label: string): void => {
      let viaSummary = 0;
      let facetsViaSummary = 0;
      for (let i = 0; i < 60; i++) {
        const filter = randomFilter(r);
        if (summaryFilter(filter) !== null) viaSummary++;
        clearQueryCache(w.db);
        assert.equal(
          countRows(w.db, filter),
          bruteCount(w.db, filter),
          `${label} count ${JSON.stringify(filter)}`,
        );
        const { facets, plan } = getFacetsWithPlan(w.db, filter, 1000);
        if (plan === 'summary') facetsViaSummary++;
        assert.deepEqual(
          facetsOf(facets),
          bruteFacets(w.db, filter),
          `${label} facets ${JSON.stringify(filter)}`,
        );
        for (const buckets of [60, 500])
          assert.deepEqual(
            getHistogram(w.db, filter, buckets),
            bruteHistogram(w.db, filter, buckets),
            `${label} histogram/${buckets} ${JSON.stringify(filter)}`,
          );
      }
      assert.ok(viaSummary > 40, `${label}: most random filters used the summary (${viaSummary})`);
      assert.ok(
        facetsViaSummary > 20,
        `${label}: facets of filters without time from the summary (${facetsViaSummary})`,
      );
    };
    check('after an append');
    // Summary rebuilt up to the middle of the second import: the rest is counted from records.
    w.db.exec(
      "DELETE FROM summary_hour; DELETE FROM summary_facets; DELETE FROM meta WHERE key IN ('summary_upto', 'summary_mark')",
    );
    updateSummary(w.db, undefined, 7500);
    assert.equal(summaryCoverage(w.db), 7500);
    check('with rows pending');
    // Emptied (as a delete of records would have to), the summary is not used until refilled.
    invalidateSummary(w.db);
    assert.equal(summaryCoverage(w.db), 0);
    clearQueryCache(w.db);
    assert.equal(getFacetsWithPlan(w.db, { q: 'status:error' }, 10).plan === 'summary', false);
    assert.equal(countRows(w.db, { q: 'status:error' }), bruteCount(w.db, { q: 'status:error' }));
    updateSummary(w.db);
    assert.equal(summaryCoverage(w.db), 9000);
    check('refilled');
  } finally {
    w.cleanup();
  }
});

test('filters naming anything but the summary columns and whole hours are not answered from it', () => {
  for (const q of ['jane', 'to:max', 'domain:web.de', 'smtp:5.1.1', 'size>100', 'status:error jane'])
    assert.equal(summaryFilter({ q }), null, q);
  assert.equal(summaryFilter({ timeFrom: Date.UTC(2026, 9, 1, 5, 30) }), null);
  assert.equal(summaryFilter({ conditions: [{ type: 'enum', column: 'status', values: ['OK'] }] }), null);
  assert.notEqual(summaryFilter({ q: 'status:error -region:DE1 after:2026-10-02 smtp:5xx' }), null);
});

test('a version 4 workspace gets the summary tables; they are used once filled by the next import', async () => {
  const w = workspace();
  try {
    const a = path.join(w.dir, 'a.csv');
    writeFileSync(a, toCsv(generateRows({ rows: 2000, seed: 3 })));
    await importFiles(w.db, [a]);
    // Back to version 4: no summary tables, as a workspace of the previous release.
    w.db.exec(
      "DROP TABLE summary_hour; DROP TABLE summary_facets; DELETE FROM meta WHERE key LIKE 'summary_%'",
    );
    w.db.pragma('user_version = 4');
    w.db.close();
    const db = openDatabase(w.dbPath);
    try {
      assert.equal(summaryCoverage(db), 0, 'migrated but empty: not used');
      const filter = { q: 'status:error' };
      assert.equal(countRows(db, filter), bruteCount(db, filter));
      assert.notEqual(getFacetsWithPlan(db, filter, 10).plan, 'summary');
      const b = path.join(w.dir, 'b.csv');
      writeFileSync(b, toCsv(generateRows({ rows: 500, seed: 4, startMs: Date.UTC(2026, 10, 5) })));
      await importFiles(db, [b]);
      assert.equal(summaryCoverage(db), 2500, 'the next import summarised the old records too');
      clearQueryCache(db);
      assert.equal(countRows(db, filter), bruteCount(db, filter));
      assert.equal(getFacetsWithPlan(db, filter, 10).plan, 'summary');
    } finally {
      db.close();
    }
  } finally {
    w.cleanup();
  }
});
