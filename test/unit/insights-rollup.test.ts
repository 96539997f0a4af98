/**
 * The domains view, the incidents and the case report's replies and time span read from the rollup (insights_domain_hour, insights_replies)
 * give exactly what the same calls give from the records: for random filters, after an append, with
 * records not yet in the rollup, and after the summaries were emptied (as a delete of records does).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomSummaryFilter, writeCaseExports } from './summary-brute';
import type { Database } from 'better-sqlite3';
import { rng } from '../../bench/generate';
import type { FilterModel } from '../../common/contract';
import { replyGroups, timeSpan } from '../../main/engine/insights/domain-reads';
import { getDomains } from '../../main/engine/insights/domains';
import { getIncidents } from '../../main/engine/insights/incidents';
import {
  rollupCoverage,
  rollupFilter,
  rollupSource,
  updateInsightsRollup,
} from '../../main/engine/insights/rollup';
import { insightsWhere } from '../../main/engine/insights/where';
import { invalidateSummary, updateSummary } from '../../main/engine/query/summary';
import { importFiles, workspace } from './import-fixture';

const TERMS = [
  'status:error',
  'status:ok',
  'substatus:bounced',
  'substatus:delivered',
  'details:soft_bounce',
  'details:hard_bounce',
  'domain:gmail.com',
  'domain:GMX.de',
  'domain:kunde.de',
  'after:2026-10-10',
  'before:2026-10-20',
  'after:2026-10-25',
];

const randomFilter = (r: () => number): FilterModel => randomSummaryFilter(TERMS, r);

const answers = (db: Database, filter: FilterModel): unknown => ({
  domains: getDomains(db, filter),
  incidents: getIncidents(db, filter),
  replies: replyGroups(db, filter, insightsWhere(db, filter)),
  span: timeSpan(db, filter, insightsWhere(db, filter)),
});

/** Every filter answered with the rollup as it is, then with it ignored (records only). */
function check(db: Database, label: string, seed: number): void {
  const r = rng(seed);
  const filters = Array.from({ length: 40 }, () => randomFilter(r));
  const used = filters.filter((f) => rollupSource(db, f, true) !== null).length;
  assert.ok(used > 30, `${label}: most random filters used the rollup (${used})`);
  const viaRollup = filters.map((f) => answers(db, f));
  const saved = db.prepare("SELECT value FROM meta WHERE key = 'insights_upto'").pluck().get() as string;
  db.prepare("DELETE FROM meta WHERE key = 'insights_upto'").run();
  assert.equal(rollupCoverage(db), 0);
  filters.forEach((f, i) => assert.deepEqual(viaRollup[i], answers(db, f), `${label}: ${JSON.stringify(f)}`));
  db.prepare("INSERT INTO meta (key, value) VALUES ('insights_upto', ?)").run(saved);
}

test('domains and incidents from the rollup equal those from the records', async () => {
  const w = workspace();
  try {
    // Overlapping hours with the first file, and some after it.
    const [a, b] = writeCaseExports(w.dir, 7);
    await importFiles(w.db, [a]);
    assert.equal(rollupCoverage(w.db), 6000, 'the import filled the rollup');
    await importFiles(w.db, [b]);
    assert.equal(rollupCoverage(w.db), 9000, 'the append added to it');
    check(w.db, 'after an append', 11);

    // Rebuilt up to the middle of the second import: the rest is read from the records.
    w.db.exec("DELETE FROM meta WHERE key = 'insights_upto'");
    updateInsightsRollup(w.db, undefined, 7500);
    assert.equal(rollupCoverage(w.db), 7500);
    check(w.db, 'with records pending', 12);

    // Emptied with the summaries (what a delete of records does): not used until refilled.
    invalidateSummary(w.db);
    assert.equal(rollupCoverage(w.db), 0);
    assert.equal(rollupSource(w.db, { q: 'status:error' }, true), null);
    updateSummary(w.db);
    updateInsightsRollup(w.db);
    assert.equal(rollupCoverage(w.db), 9000);
    check(w.db, 'refilled', 13);
  } finally {
    w.cleanup();
  }
});

test('filters naming anything but the rollup columns and whole hours are not answered from it', () => {
  for (const q of ['jane', 'to:max', 'smtp:5xx', 'region:DE1', 'size>100', 'status:error jane'])
    assert.equal(rollupFilter({ q }, true), null, q);
  assert.equal(rollupFilter({ timeFrom: Date.UTC(2026, 9, 1, 5, 30) }, true), null);
  assert.equal(rollupFilter({ timeFrom: Date.UTC(2026, 9, 1, 5) }, false), null, 'replies have no hours');
  assert.equal(
    rollupFilter({ conditions: [{ type: 'enum', column: 'status', values: ['OK'] }] }, true),
    null,
  );
  assert.notEqual(
    rollupFilter({ q: 'status:error -details:hard_bounce domain:gmx.de after:2026-10-02' }, true),
    null,
  );
});
