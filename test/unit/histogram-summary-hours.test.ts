/**
 * The summary's histogram read as counts per stored hour (histogram-summary.ts: one read grouped by
 * the hourly tables' key prefix, the span from its first and last hour): every bucket equals a
 * brute-force pass over the records, for records without a time or a substatus, in zones whose
 * midnight is not a whole UTC hour, for bucket sizes from an hour to weeks, for `domain:` filters
 * (summary_domain_hour), and with records pending above the summary's coverage.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../common/contract';
import { getHistogram } from '../../main/engine/query/histogram';
import { summaryHistogram } from '../../main/engine/query/histogram-summary';
import { clearQueryCache } from '../../main/engine/query/paging';
import { invalidateSummary, summaryCoverage, updateSummary } from '../../main/engine/query/summary';
import { importFiles, workspace } from './import-fixture';
import { bruteHistogram, writeCaseExports } from './summary-brute';

const TERMS = [
  'status:error',
  'status:ok',
  'substatus:bounced',
  'substatus:delivered',
  'details:soft_bounce',
  'region:DE1',
  'interface:smtp',
  'smtp:5xx',
  'domain:web.de',
  'domain:gmx.de',
  'after:2026-10-10',
  'before:2026-10-20',
  'after:2026-11-06',
];
const ZONES = ['UTC', 'Europe/Berlin', 'Asia/Kolkata', 'America/St_Johns'];

const filterArb = fc
  .record({
    terms: fc.array(fc.record({ t: fc.constantFrom(...TERMS), neg: fc.boolean() }), { maxLength: 3 }),
    zone: fc.constantFrom(...ZONES),
    buckets: fc.constantFrom(1, 7, 60, 500, 3000),
  })
  .map(({ terms, zone, buckets }) => ({
    filter: {
      q: terms.map(({ t, neg }) => (neg ? `-${t}` : t)).join(' '),
      timeZone: zone,
    } satisfies FilterModel,
    buckets,
  }));

/** Every drawn filter's histogram equals brute force; returns how many the summary answered. */
function checkAll(db: Database, label: string): number {
  let summed = 0;
  fc.assert(
    fc.property(filterArb, ({ filter, buckets }) => {
      clearQueryCache(db);
      if (summaryHistogram(db, filter) !== null) summed++;
      assert.deepEqual(
        getHistogram(db, filter, buckets),
        bruteHistogram(db, filter, buckets),
        `${label} histogram/${buckets} ${JSON.stringify(filter)}`,
      );
    }),
    { numRuns: 80, seed: 20261201 },
  );
  return summed;
}

test('histograms from the hourly summary equal brute force with records lacking a time or a substatus', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 77);
    await importFiles(w.db, [a, b]);
    // Records without a time sit in the summary's no-hour row; those without a substatus count as
    // other. Changed behind the summary's back, so it is rebuilt from the records as they are now.
    w.db.exec('UPDATE records SET creation_time_ms = NULL WHERE id % 13 = 0');
    w.db.exec('UPDATE records SET substatus = NULL WHERE id % 17 = 0');
    invalidateSummary(w.db);
    updateSummary(w.db);
    assert.ok(summaryCoverage(w.db) > 0);
    const timeless = w.db
      .prepare('SELECT count(*) FROM records WHERE creation_time_ms IS NULL')
      .pluck()
      .get() as number;
    assert.ok(timeless > 0, 'the case has records without a time');
    const summed = checkAll(w.db, 'rebuilt');
    assert.ok(summed > 40, `most drawn filters used the summary (${summed})`);
    // Summary up to the middle of the case: the rest is counted from the records by id range.
    invalidateSummary(w.db);
    updateSummary(w.db, undefined, 4000);
    assert.equal(summaryCoverage(w.db), 4000);
    assert.ok(checkAll(w.db, 'pending') > 40);
  } finally {
    w.cleanup();
  }
});
