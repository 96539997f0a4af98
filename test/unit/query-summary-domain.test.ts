/**
 * Filters with a recipient domain or a time bound, answered from summary_domain_hour (histogram and
 * count of domain: filters, the domain facet of a time window) and summary_facets (domain: without
 * time): counts, every facet bucket and every histogram bucket equal a brute-force pass over the
 * records, with domains in mixed case, in time zones whose midnight is not a whole UTC hour, after an
 * append, with records pending, and for a workspace summarised before the table existed.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, rng, toCsv } from '../../bench/generate';
import type { FilterModel } from '../../common/contract';
import { getFacetsWithPlan } from '../../main/engine/query/facets';
import { getHistogram } from '../../main/engine/query/histogram';
import { clearQueryCache, countRows } from '../../main/engine/query/paging';
import { invalidateSummary, summaryCoverage, updateSummary } from '../../main/engine/query/summary';
import { hasDomainHour } from '../../main/engine/query/summary-domain';
import { hourlySource, summaryFacetCombos } from '../../main/engine/query/summary-read';
import { importFiles, workspace } from './import-fixture';
import { bruteCount, bruteFacets, bruteHistogram, facetsOf, writeCaseExports } from './summary-brute';

const TERMS = [
  'domain:web.de',
  'domain:WEB.de',
  'domain:gmx.de',
  'domain:nowhere.example',
  'status:error',
  'status:ok',
  'substatus:bounced',
  'details:soft_bounce',
  'region:DE1',
  'smtp:5xx',
  'after:2026-10-10',
  'before:2026-10-20',
  'after:2026-11-06',
];
const ZONES = [undefined, 'Europe/Berlin', 'Asia/Kolkata'];

function randomFilter(r: () => number): FilterModel {
  const n = 1 + Math.floor(r() * 3);
  const terms: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = TERMS[Math.floor(r() * TERMS.length)] ?? '';
    terms.push(r() < 0.25 ? `-${t}` : t);
  }
  const timeZone = ZONES[Math.floor(r() * ZONES.length)];
  return timeZone === undefined ? { q: terms.join(' ') } : { q: terms.join(' '), timeZone };
}

/** Compares one filter's count, facets and histograms with brute force; returns which were summed. */
function check(db: Database, filter: FilterModel, label: string): { hourly: boolean; facets: boolean } {
  const what = `${label} ${JSON.stringify(filter)}`;
  clearQueryCache(db);
  assert.equal(countRows(db, filter), bruteCount(db, filter), `count ${what}`);
  const { facets, plan } = getFacetsWithPlan(db, filter, 1000);
  assert.deepEqual(facetsOf(facets), bruteFacets(db, filter), `facets ${what}`);
  for (const buckets of [60, 500])
    assert.deepEqual(
      getHistogram(db, filter, buckets),
      bruteHistogram(db, filter, buckets),
      `histogram ${what}`,
    );
  return { hourly: hourlySource(db, filter) !== null, facets: plan === 'summary' };
}

function checkMany(db: Database, seed: number, label: string): void {
  const r = rng(seed);
  let hourly = 0;
  let facets = 0;
  for (let i = 0; i < 50; i++) {
    const used = check(db, randomFilter(r), label);
    if (used.hourly) hourly++;
    if (used.facets) facets++;
  }
  // The random filters must reach the new paths, or this test checks nothing new.
  assert.ok(hourly > 15, `${label}: histograms and counts from a summary (${hourly})`);
  assert.ok(facets > 15, `${label}: facets from a summary (${facets})`);
}

test('domain: and time-bounded filters from the summaries equal brute force, after an append and with rows pending', async () => {
  const w = workspace();
  try {
    // Overlapping hours with the first file, and some after it.
    const [a, b] = writeCaseExports(w.dir, 42);
    await importFiles(w.db, [a]);
    // Domains as the portal may write them: the same domain in other cases.
    w.db.exec('UPDATE records SET message_to_domain = upper(message_to_domain) WHERE id % 7 = 0');
    w.db.exec('UPDATE records SET message_to_domain = NULL WHERE id % 97 = 0');
    invalidateSummary(w.db);
    await importFiles(w.db, [b]);
    assert.equal(summaryCoverage(w.db), 9000, 'the append summarised every record');
    assert.ok(hasDomainHour(w.db));

    // The cases go through the summaries, exactly.
    const web = check(w.db, { q: 'domain:web.de' }, 'domain');
    assert.deepEqual(web, { hourly: true, facets: true }, 'domain:web.de from the summaries');
    const after = check(w.db, { q: 'after:2026-10-20' }, 'time');
    assert.deepEqual(after, { hourly: true, facets: true }, 'after: from the summaries');
    // A date in +05:30 starts at half past a UTC hour: the records answer, not the hourly sums.
    const kolkata = check(w.db, { q: 'after:2026-10-20', timeZone: 'Asia/Kolkata' }, 'zone');
    assert.deepEqual(kolkata, { hourly: false, facets: false }, 'a half-hour bound is not summed');

    checkMany(w.db, 99, 'after an append');
    // Summary up to the middle of the second import: the rest is read from records.
    invalidateSummary(w.db);
    updateSummary(w.db, undefined, 7500);
    assert.equal(summaryCoverage(w.db), 7500);
    checkMany(w.db, 7, 'with rows pending');
  } finally {
    w.cleanup();
  }
});

test('a workspace summarised before summary_domain_hour existed is summarised again on its next import', async () => {
  const w = workspace();
  try {
    const a = path.join(w.dir, 'a.csv');
    writeFileSync(a, toCsv(generateRows({ rows: 2000, seed: 3 })));
    await importFiles(w.db, [a]);
    w.db.exec('DROP TABLE summary_domain_hour');
    assert.equal(summaryCoverage(w.db), 2000, 'the other summaries still cover the records');
    const filter = { q: 'domain:web.de' };
    assert.equal(hourlySource(w.db, filter), null, 'without the table, domain: is read from records');
    assert.equal(countRows(w.db, filter), bruteCount(w.db, filter));
    // Time-bounded facets need the table for the domain facet.
    assert.equal(summaryFacetCombos(w.db, { q: 'after:2026-10-10' }), null);
    const b = path.join(w.dir, 'b.csv');
    writeFileSync(b, toCsv(generateRows({ rows: 500, seed: 4, startMs: Date.UTC(2026, 10, 5) })));
    await importFiles(w.db, [b]);
    assert.equal(summaryCoverage(w.db), 2500);
    assert.deepEqual(check(w.db, filter, 'recreated'), { hourly: true, facets: true });
    assert.deepEqual(check(w.db, { q: 'after:2026-10-10 status:ok' }, 'recreated'), {
      hourly: true,
      facets: true,
    });
  } finally {
    w.cleanup();
  }
});
