import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fillRecords } from '../../bench/query-data';
import { COMBO_KEYS } from '../../main/engine/query/combo-keys';
import { DELTA_SHARE, FACETS_INDEX, facetsIndexUpto } from '../../main/engine/query/facets-index';
import { facetCombos, type Combo, type FacetPlan } from '../../main/engine/query/facets-plan';
import type { SqlPart } from '../../main/engine/query/filter';
import { maxRecordId, updateSearchIndex } from '../../main/engine/query/search-index';
import { tempWorkspace, type Workspace } from './query-fixture';

const COLS =
  'status, substatus, status_details, smtp_code, processing_region, entry_interface, message_to_domain';

let ws: Workspace;
before(() => {
  ws = tempWorkspace();
  fillRecords(ws.db, { rows: 4000, seed: 3, spanDays: 10 });
});
after(() => ws.close());

/** Filters of the shapes that reach the index plans ('all', 'index', 'ids') and the table ('rows'). */
function filters(): SqlPart[] {
  const t = ws.db
    .prepare('SELECT min(creation_time_ms) AS lo, max(creation_time_ms) AS hi FROM records')
    .get() as {
    lo: number;
    hi: number;
  };
  return [
    { sql: '1', params: [] },
    { sql: 'status IN (?)', params: ['ERROR'] },
    { sql: 'NOT ifnull((status IN (?)), 0)', params: ['ERROR'] },
    { sql: 'smtp_code = ?', params: [550] },
    { sql: 'creation_time_ms >= ?', params: [t.lo + (t.hi - t.lo) / 3] },
    { sql: 'creation_time_ms >= ? AND creation_time_ms < ?', params: [t.lo, t.lo + 60_000] },
    { sql: 'id IN (SELECT id FROM records WHERE message_to LIKE ?)', params: ['%a%'] },
  ];
}

/** Combos as the table says, with no index at all, in one order. */
function brute(where: SqlPart): string[] {
  return (
    ws.db
      .prepare(
        `SELECT ${COLS}, count(*) FROM records NOT INDEXED WHERE ${where.sql} GROUP BY 1, 2, 3, 4, 5, 6, 7`,
      )
      .raw()
      .all(...where.params) as Combo[]
  )
    .map((c) => JSON.stringify(c))
    .sort();
}

function checkAll(label: string): Set<FacetPlan> {
  const plans = new Set<FacetPlan>();
  for (const where of filters()) {
    // fewRows 20: broad filters go through the index as at 1M rows.
    const { combos, plan } = facetCombos(ws.db, where, 20);
    plans.add(plan);
    assert.deepEqual(
      combos.map((c) => JSON.stringify(c)).sort(),
      brute(where),
      `${label}: ${where.sql} (${plan})`,
    );
  }
  return plans;
}

test('the facet index covers the records up to the last id at its build, and facets agree with the table', () => {
  updateSearchIndex(ws.db);
  const maxId = maxRecordId(ws.db);
  assert.equal(facetsIndexUpto(ws.db), maxId);
  const plans = checkAll('built');
  for (const p of ['all', 'index', 'ids', 'rows'] as const) assert.ok(plans.has(p), `plan ${p} reached`);
});

test('an append below the delta share leaves the index and its bound; facets count the delta from the table', () => {
  updateSearchIndex(ws.db);
  const upto = facetsIndexUpto(ws.db);
  assert.equal(upto, 4000);
  // Under 5 % of the case: below DELTA_SHARE, so the search-index phase leaves the index as it is.
  fillRecords(ws.db, { rows: 200, seed: 11, spanDays: 12 });
  assert.ok(200 / maxRecordId(ws.db) < DELTA_SHARE);
  checkAll('delta before the update');
  updateSearchIndex(ws.db);
  assert.equal(facetsIndexUpto(ws.db), 4000, 'bound kept while the delta is small');
  checkAll('small delta');
  // Summaries filled over the delta (by rowid range) agree with the table too.
  const summed = (
    ws.db
      .prepare(
        `SELECT ${COMBO_KEYS.map((k) => `nullif(${k.col}, ${k.none})`).join(', ')}, sum(n) FROM summary_facets GROUP BY 1, 2, 3, 4, 5, 6, 7`,
      )
      .raw()
      .all() as Combo[]
  )
    .map((c) => JSON.stringify(c))
    .sort();
  assert.deepEqual(summed, brute({ sql: '1', params: [] }));
});

test('once the delta passes the share, the search-index phase rebuilds the index over every record', () => {
  updateSearchIndex(ws.db);
  fillRecords(ws.db, { rows: 600, seed: 13, spanDays: 14 });
  const maxId = maxRecordId(ws.db);
  assert.ok(maxId - (facetsIndexUpto(ws.db) ?? 0) > DELTA_SHARE * maxId);
  checkAll('large delta before the update');
  updateSearchIndex(ws.db);
  assert.equal(facetsIndexUpto(ws.db), maxId);
  checkAll('rebuilt');
});

test('a facet index without a bound (built before it had one) still answers, as covering every record', () => {
  ws.db.exec(`DROP INDEX ${FACETS_INDEX}; CREATE INDEX ${FACETS_INDEX} ON records(${COLS})`);
  assert.equal(facetsIndexUpto(ws.db), Number.POSITIVE_INFINITY);
  fillRecords(ws.db, { rows: 100, seed: 17, spanDays: 15 });
  checkAll('whole index');
  // The search-index phase leaves it: it stays exact, maintained in place as before.
  updateSearchIndex(ws.db);
  assert.equal(facetsIndexUpto(ws.db), Number.POSITIVE_INFINITY);
});
