/**
 * `domain:` compiled to the stored spellings of the domain (so the domain and time index serves pages
 * in time order) finds exactly what the case-insensitive comparison finds: pages, counts, facets
 * and histograms, with domains stored in several cases, negated, combined, absent, and with more
 * spellings than the IN list takes.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import type { FilterModel } from '../../common/contract';
import { compileWhere } from '../../main/engine/query/filter';
import { getFacets } from '../../main/engine/query/facets';
import { getHistogram } from '../../main/engine/query/histogram';
import { clearQueryCache, countRows, queryPage } from '../../main/engine/query/paging';
import { createResolver } from '../../main/engine/query/resolver';
import { invalidateSummary, updateSummary } from '../../main/engine/query/summary';
import { importFiles, workspace } from './import-fixture';
import { bruteCount, bruteFacets, bruteHistogram, facetsOf } from './summary-brute';

const FILTERS: readonly FilterModel[] = [
  { q: 'domain:web.de' },
  { q: 'domain:WEB.DE' },
  { q: '-domain:web.de' },
  { q: 'domain:web.de domain:gmx.de' },
  { q: 'domain:web.de status:error' },
  { q: 'domain:gmail.com' },
  { q: 'domain:nowhere.example' },
  { q: 'domain:gmx.de lea' },
];

/** Ids in the grid's default order (newest first, records without a time last), by brute force. */
function bruteIds(db: Database, filter: FilterModel): number[] {
  const where = compileWhere(filter);
  return db
    .prepare(
      `SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY creation_time_ms IS NULL, creation_time_ms DESC, id DESC`,
    )
    .pluck()
    .all(...where.params) as number[];
}

function check(db: Database, label: string): void {
  for (const filter of FILTERS) {
    const what = `${label} ${JSON.stringify(filter)}`;
    clearQueryCache(db);
    const want = bruteIds(db, filter);
    const got: number[] = [];
    for (let start = 0; start < want.length + 100; start += 250) {
      const page = queryPage(db, {
        filter,
        sort: [{ column: 'creation_time', dir: 'desc' }],
        startRow: start,
        endRow: start + 250,
      });
      got.push(...page.rows.map((r) => r.id));
    }
    assert.deepEqual(got, want, `pages ${what}`);
    assert.equal(countRows(db, filter), bruteCount(db, filter), `count ${what}`);
    assert.deepEqual(facetsOf(getFacets(db, filter, 1000)), bruteFacets(db, filter), `facets ${what}`);
    assert.deepEqual(getHistogram(db, filter, 60), bruteHistogram(db, filter, 60), `histogram ${what}`);
  }
}

test('domain: as stored spellings equals the case-insensitive comparison', async () => {
  const w = workspace();
  try {
    const a = path.join(w.dir, 'a.csv');
    writeFileSync(a, toCsv(generateRows({ rows: 4000, seed: 21 })));
    await importFiles(w.db, [a]);
    w.db.exec(
      "UPDATE records SET message_to_domain = 'Web.DE' WHERE id % 5 = 0 AND message_to_domain = 'web.de'",
    );
    w.db.exec(
      "UPDATE records SET message_to_domain = 'WEB.de' WHERE id % 7 = 0 AND message_to_domain = 'web.de'",
    );
    w.db.exec('UPDATE records SET message_to_domain = NULL WHERE id % 53 = 0');
    // Records changed in place: the summaries are rebuilt, as a delete of records has them rebuilt.
    invalidateSummary(w.db);
    updateSummary(w.db);
    const spell = createResolver(w.db).domainSpellings;
    assert.ok(spell !== undefined, 'the indexes are there, so spellings are used');
    assert.deepEqual([...(spell('wEb.De') ?? [])].sort(), ['WEB.de', 'Web.DE', 'web.de']);
    assert.deepEqual(spell('nowhere.example'), []);
    assert.match(compileWhere({ q: 'domain:web.de' }, createResolver(w.db)).sql, /message_to_domain IN/);
    check(w.db, 'three spellings');
    // More spellings than the IN list takes: compared with lower() again, same answers.
    const cases = ['gMx.de', 'gmX.de', 'GMX.de', 'gmx.DE', 'Gmx.De', 'GMX.DE', 'gmx.dE', 'GmX.de', 'gMX.de'];
    cases.forEach((d, i) =>
      w.db
        .prepare('UPDATE records SET message_to_domain = ? WHERE id % 11 = ? AND message_to_domain = ?')
        .run(d, i, 'gmx.de'),
    );
    invalidateSummary(w.db);
    updateSummary(w.db);
    assert.equal(createResolver(w.db).domainSpellings?.('gmx.de'), null);
    assert.match(
      compileWhere({ q: 'domain:gmx.de' }, createResolver(w.db)).sql,
      /lower\(message_to_domain\)/,
    );
    check(w.db, 'many spellings');
  } finally {
    w.cleanup();
  }
});
