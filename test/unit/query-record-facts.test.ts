/**
 * The facets and histograms of an id set are read from record_facts (record-facts.ts), the narrow
 * copy the import keeps: every answer equals a brute-force pass over the records, with blank fields
 * and mixed-case domains, after an append, with records the copy does not cover yet, and after an
 * import is removed (the copy is emptied, not read, until the next import fills it again).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import type { FilterModel } from '../../common/contract';
import { removeImportRows } from '../../main/engine/import/remove';
import { getFacetsWithPlan } from '../../main/engine/query/facets';
import { getHistogram } from '../../main/engine/query/histogram';
import { compileWhere } from '../../main/engine/query/filter';
import { findMatchIds } from '../../main/engine/query/match-ids';
import { clearQueryCache, countRows } from '../../main/engine/query/paging';
import { factsCoverage, updateRecordFacts } from '../../main/engine/query/record-facts';
import { createResolver, MAX_RESOLVED_VALUES_AGGREGATE } from '../../main/engine/query/resolver';
import { importFiles, workspace } from './import-fixture';
import { bruteCount, bruteFacets, bruteHistogram, facetsOf } from './summary-brute';

const FILTERS: readonly FilterModel[] = [
  { q: 'jane' },
  { q: 'to:max.weber1' },
  { q: 'smtp:5.1.1' },
  { q: 'smtp:5.7.1 status:error' },
  { q: 'size>20000' },
  { q: 'jane status:error' },
  { q: 'mueller after:2026-10-20', timeZone: 'Asia/Kolkata' },
  { q: 'to:anna -domain:web.de' },
  { q: 'nobody-matches-this' },
];

/** Generated rows with blanks (region, interface, reply, time) and a domain in two spellings. */
function rows(n: number, seed: number, startMs?: number): string[][] {
  return [...generateRows({ rows: n, seed, ...(startMs === undefined ? {} : { startMs }) })].map((r, i) => {
    const out = [...r];
    if (i % 7 === 0) out[23] = '';
    if (i % 11 === 0) out[22] = '';
    if (i % 13 === 0) out[10] = '';
    if (i % 17 === 0) out[4] = out[4].toUpperCase();
    if (i % 97 === 0) out[0] = '';
    return out;
  });
}

function checkAll(db: Database, label: string, plan: 'facts' | 'other'): void {
  for (const filter of FILTERS) {
    clearQueryCache(db);
    const what = `${label} ${JSON.stringify(filter)}`;
    assert.equal(countRows(db, filter), bruteCount(db, filter), `count ${what}`);
    const got = getFacetsWithPlan(db, filter, 1000);
    assert.equal(got.plan === 'facts', plan === 'facts', `facets plan ${what}: ${got.plan}`);
    assert.deepEqual(facetsOf(got.facets), bruteFacets(db, filter), `facets ${what}`);
    for (const buckets of [60, 500])
      assert.deepEqual(
        getHistogram(db, filter, buckets),
        bruteHistogram(db, filter, buckets),
        `histogram/${buckets} ${what}`,
      );
  }
}

test('facets and histograms of id sets from record_facts equal brute force: append, pending, removal', async () => {
  const w = workspace();
  try {
    const a = path.join(w.dir, 'a.csv');
    const b = path.join(w.dir, 'b.csv');
    writeFileSync(a, toCsv(rows(5000, 42)));
    writeFileSync(b, toCsv(rows(2500, 9, Date.UTC(2026, 9, 15))));
    await importFiles(w.db, [a]);
    const first = w.db.prepare('SELECT max(id) FROM records').pluck().get() as number;
    assert.equal(factsCoverage(w.db), first, 'the import filled record_facts');
    assert.ok(
      (w.db.prepare('SELECT count(*) FROM records WHERE processing_region IS NULL').pluck().get() as number) >
        0,
      'blank fields are stored as NULL',
    );
    checkAll(w.db, 'one import', 'facts');

    await importFiles(w.db, [b]);
    const last = w.db.prepare('SELECT max(id) FROM records').pluck().get() as number;
    assert.equal(factsCoverage(w.db), last, 'the append added its records');
    checkAll(w.db, 'after an append', 'facts');

    // Covered up to the first import only: the second import's records are read from records.
    w.db.prepare('DELETE FROM record_facts WHERE id > ?').run(first);
    w.db.prepare("UPDATE meta SET value = ? WHERE key = 'facts_upto'").run(String(first));
    w.db
      .prepare("UPDATE meta SET value = (SELECT row_key FROM records WHERE id = ?) WHERE key = 'facts_mark'")
      .run(first);
    assert.equal(factsCoverage(w.db), first);
    checkAll(w.db, 'second import pending', 'facts');
    updateRecordFacts(w.db);
    assert.equal(factsCoverage(w.db), last);

    // Removing the first import empties the copy; until the next import it is not read.
    w.db.transaction(() => removeImportRows(w.db, 1, () => 'test'))();
    assert.equal(factsCoverage(w.db), 0);
    assert.equal(w.db.prepare('SELECT count(*) FROM record_facts').pluck().get(), 0);
    checkAll(w.db, 'after removing an import', 'other');
    await importFiles(w.db, [a]);
    assert.equal(factsCoverage(w.db), w.db.prepare('SELECT max(id) FROM records').pluck().get());
    checkAll(w.db, 'imported again', 'facts');
  } finally {
    w.cleanup();
  }
});

test('an enhanced SMTP code is found through its index, or without it through the reply texts, also for records the vocabulary lacks', async () => {
  const w = workspace();
  try {
    const a = path.join(w.dir, 'a.csv');
    // Texts holding the code besides another one, or inside a longer code: found by the text, kept
    // only when the import's parse gives the code.
    const data = rows(4000, 5).map((r, i) => {
      if (i % 50 === 0) r[10] = '451 4.3.0 deferred, previous reply 5.1.1';
      if (i % 50 === 1) r[10] = '550 5.1.12 unknown';
      return r;
    });
    writeFileSync(a, toCsv(data));
    await importFiles(w.db, [a]);
    const codes = ['smtp:5.1.1', 'smtp:4.2.2', 'smtp:2.0.0', 'smtp:5.9.9'];
    const bruteIds = (q: string): number[] =>
      w.db
        .prepare('SELECT id FROM records NOT INDEXED WHERE smtp_enhanced = ? ORDER BY id')
        .pluck()
        .all(q.slice(5)) as number[];
    // With the import's partial index on the code: compared directly, read from that index.
    for (const q of codes) {
      const where = compileWhere({ q }, { ...createResolver(w.db), visitsAll: true });
      const plan = w.db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT id FROM records WHERE ${where.sql} ORDER BY creation_time_ms DESC`,
        )
        .all(...where.params) as { detail: string }[];
      assert.match(plan.map((p) => p.detail).join('\n'), /records_enhanced/, `${q}: ${JSON.stringify(plan)}`);
      const ids = findMatchIds(w.db, { q });
      assert.deepEqual(
        ids === null ? null : (JSON.parse(ids.json) as number[]).sort((x, y) => x - y),
        bruteIds(q),
        q,
      );
      assert.equal(countRows(w.db, { q }), bruteIds(q).length, q);
    }
    // Without it (a workspace whose search-index phase has not run since): through the reply texts.
    w.db.exec('DROP INDEX records_enhanced');
    clearQueryCache(w.db);
    for (const q of codes) {
      const where = compileWhere(
        { q },
        { ...createResolver(w.db, MAX_RESOLVED_VALUES_AGGREGATE), visitsAll: true },
      );
      assert.doesNotMatch(where.sql, /smtp_enhanced/, `${q}: read through the reply texts`);
      const ids = findMatchIds(w.db, { q });
      const brute = w.db
        .prepare('SELECT id FROM records NOT INDEXED WHERE smtp_enhanced = ? ORDER BY id')
        .pluck()
        .all(q.slice(5)) as number[];
      assert.deepEqual(
        ids === null ? null : (JSON.parse(ids.json) as number[]).sort((x, y) => x - y),
        brute,
        q,
      );
      // More matching texts than a resolver hands out (here: 5): all of them are read for the code.
      const capped = compileWhere({ q }, { ...createResolver(w.db, 5), visitsAll: true });
      assert.doesNotMatch(capped.sql, /smtp_enhanced/, `${q}: past the resolver's limit`);
      const viaCapped = w.db
        .prepare(`SELECT id FROM records WHERE ${capped.sql} ORDER BY id`)
        .pluck()
        .all(...capped.params) as number[];
      assert.deepEqual(viaCapped, brute, `${q} past the resolver's limit`);
    }
    // The vocabulary covers only the first 1000 records: the rest are compared by their code.
    w.db.exec("UPDATE meta SET value = '1000' WHERE key = 'search_index_upto'");
    w.db.exec(
      "UPDATE meta SET value = (SELECT row_key FROM records WHERE id = 1000) WHERE key = 'search_index_mark'",
    );
    const filter = { q: 'smtp:5.1.1' };
    assert.equal(countRows(w.db, filter), bruteCount(w.db, filter));
    assert.deepEqual(facetsOf(getFacetsWithPlan(w.db, filter, 1000).facets), bruteFacets(w.db, filter));
  } finally {
    w.cleanup();
  }
});
