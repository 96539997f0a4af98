/**
 * Searches with negated terms no summary answers (`-jane`, `status:ok -from:news`) are answered as
 * their rest (summaries) less the records a positive search finds (complement.ts): count, facets and
 * histogram buckets equal a brute-force pass over the records, with NULL and empty values (the
 * engine's NOT keeps them), after an append, with records above the summaries' coverage, and after
 * an import is removed; and for random filters of these kinds (fast-check).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../common/contract';
import { listImports } from '../../main/engine/import/history';
import { removeImport } from '../../main/engine/import/remove';
import { complementOf } from '../../main/engine/query/complement';
import { getFacets, getFacetsWithPlan } from '../../main/engine/query/facets';
import { getHistogram } from '../../main/engine/query/histogram';
import { clearQueryCache, countRows } from '../../main/engine/query/paging';
import { invalidateSummary } from '../../main/engine/query/summary';
import { importFiles, workspace } from './import-fixture';
import {
  bruteCount,
  bruteFacets,
  bruteHistogram,
  facetsOf,
  leaveFactsPending,
  writeCaseExports,
} from './summary-brute';

/** Each takes the complement path (asserted), so a wrong subtraction cannot hide behind another plan. */
const SUBTRACTED: readonly FilterModel[] = [
  { q: '-jane' },
  { q: 'status:ok -jane' },
  { q: '-jane -anna' },
  { q: '-from:news' },
  { q: '-to:max.weber1' },
  { q: '-smtp:5.1.1' },
  { q: '-size>20000' },
  { q: 'domain:web.de -jane' },
  { q: 'after:2026-10-20 -jane' },
  { q: '-status:error -jane region:DE1' },
  { q: '-nobody-matches-this' },
  // Buckets half past the hour: the count and facets subtract, the histogram takes the ordinary path.
  { q: '-jane', timeZone: 'Asia/Kolkata' },
];

/** Not split: a summary answers them whole, the rest is no summary's, or the field is named twice. */
const WHOLE: readonly FilterModel[] = [
  { q: '-status:error' },
  { q: 'jane -anna' },
  { q: 'from:mail -from:news' },
  { q: '-jane', conditions: [{ type: 'text', column: 'message_to', op: 'contains', value: 'a' }] },
];

function check(db: Database, filter: FilterModel, what: string): void {
  clearQueryCache(db);
  assert.equal(countRows(db, filter), bruteCount(db, filter), `count ${what}`);
  assert.deepEqual(facetsOf(getFacets(db, filter, 1000)), bruteFacets(db, filter), `facets ${what}`);
  for (const buckets of [60, 500])
    assert.deepEqual(
      getHistogram(db, filter, buckets),
      bruteHistogram(db, filter, buckets),
      `histogram ${buckets} ${what}`,
    );
}

function checkAll(db: Database, label: string): void {
  for (const filter of SUBTRACTED) {
    const what = `${label} ${JSON.stringify(filter)}`;
    clearQueryCache(db);
    assert.notEqual(complementOf(db, filter), null, `${what}: split into rest and set`);
    assert.equal(getFacetsWithPlan(db, filter, 10).plan, 'complement', `${what}: facets by subtraction`);
    check(db, filter, what);
  }
  for (const filter of WHOLE) {
    const what = `${label} ${JSON.stringify(filter)}`;
    clearQueryCache(db);
    assert.equal(complementOf(db, filter), null, `${what}: not split`);
    check(db, filter, what);
  }
}

test('negated terms as the rest less a set: count, facets, histogram equal brute force through append and removal', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 21);
    await importFiles(w.db, [a]);
    checkAll(w.db, 'one import');
    await importFiles(w.db, [b]);
    checkAll(w.db, 'after an append');
    // An import whose record_facts update is pending: the set's records above its coverage.
    leaveFactsPending(w.db, 7000);
    checkAll(w.db, 'record_facts behind');
    const [latest] = listImports(w.db);
    assert.ok(latest !== undefined);
    await removeImport(w.db, latest.id, new AbortController().signal);
    checkAll(w.db, 'after a removal');
    // Summaries emptied (records deleted outside an import): no rest to subtract from, the usual paths.
    invalidateSummary(w.db);
    for (const filter of SUBTRACTED.slice(0, 3)) {
      clearQueryCache(w.db);
      assert.equal(complementOf(w.db, filter), null, `no summary ${JSON.stringify(filter)}`);
      check(w.db, filter, `no summary ${JSON.stringify(filter)}`);
    }
  } finally {
    w.cleanup();
  }
});

test('random searches with negated words, senders, addresses and sizes equal brute force', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 5);
    await importFiles(w.db, [a, b]);
    const rest = [
      'status:ok',
      'status:error',
      '-status:error',
      'region:DE1',
      'domain:web.de',
      'after:2026-10-20',
    ];
    const negated = [
      '-jane',
      '-anna',
      '-from:news',
      '-to:max',
      '-size>30000',
      '-smtp:5.1.1',
      '-weber',
      '-kunde',
    ];
    fc.assert(
      fc.property(
        fc.subarray(rest, { maxLength: 2 }),
        fc.subarray(negated, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(undefined, 'Europe/Berlin'),
        (r, n, timeZone) => {
          const filter: FilterModel = {
            q: [...n, ...r].join(' '),
            ...(timeZone === undefined ? {} : { timeZone }),
          };
          check(w.db, filter, JSON.stringify(filter));
        },
      ),
      { numRuns: 40, seed: 12 },
    );
  } finally {
    w.cleanup();
  }
});
