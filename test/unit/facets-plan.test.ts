import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Facets, FilterModel } from '../../common/contract';
import { getFacets } from '../../main/engine/query';
import { getFacetsWithPlan, NONE, type FacetTuning } from '../../main/engine/query/facets';
import { FEW_ROWS, type FacetPlan } from '../../main/engine/query/facets-plan';
import { compileWhere } from '../../main/engine/query/filter';
import { phraseFirstRead } from '../../main/engine/query/phrase-lookup';
import {
  createResolver,
  MAX_RESOLVED_VALUES,
  MAX_RESOLVED_VALUES_AGGREGATE,
} from '../../main/engine/query/resolver';
import { SEARCH_COLUMNS, updateSearchIndex } from '../../main/engine/query/search-index';
import { filledWorkspace, has, insertRecord, lc, quick, type Filled, type Row } from './query-fixture';

/** Thresholds low enough that 3000 rows reach the plans meant for broad filters on 1M rows. */
const SMALL: FacetTuning = { maxValues: 50, fewRows: 20 };

let ws: Filled;
before(() => {
  ws = filledWorkspace(3000);
});
after(() => ws.close());

const time = (r: Row): number => (typeof r.creation_time_ms === 'number' ? r.creation_time_ms : NaN);

/** Filters of every shape the plan choice tells apart, and the same question asked of each row. */
function cases(rows: readonly Row[]): [FilterModel, (r: Row) => boolean][] {
  const times = rows.map(time).filter((t) => !Number.isNaN(t));
  const lo = Math.min(...times);
  const span = Math.max(...times) - lo;
  const narrow = { timeFrom: lo + span * 0.2, timeTo: lo + span * 0.205 };
  const wide = { timeFrom: lo, timeTo: lo + span / 2 };
  const within = (r: Row, w: { timeFrom: number; timeTo: number }): boolean =>
    time(r) >= w.timeFrom && time(r) < w.timeTo;
  return [
    [{}, () => true],
    [{ q: 'status:error' }, (r) => r.status === 'ERROR'],
    [{ q: '-status:error' }, (r) => r.status !== 'ERROR'],
    [{ q: 'jane' }, (r) => quick(r, 'jane')],
    [{ q: 'to:jane' }, (r) => has(r.message_to, 'jane')],
    [{ q: 'jane status:error' }, (r) => quick(r, 'jane') && r.status === 'ERROR'],
    [{ q: 'jane -status:error' }, (r) => quick(r, 'jane') && r.status !== 'ERROR'],
    [{ q: 'jane kunde.de' }, (r) => quick(r, 'jane') && quick(r, 'kunde.de')],
    [{ q: 'mueller1' }, (r) => quick(r, 'mueller1')],
    [{ q: '"user unknown"' }, (r) => quick(r, 'user unknown')],
    [{ q: 'de' }, (r) => quick(r, 'de')],
    // Over 1000 matching values: the resolver counts per column before it reads them.
    [{ q: '.de' }, (r) => quick(r, '.de')],
    [{ q: 'to:de' }, (r) => has(r.message_to, 'de')],
    [{ q: 'ODD.de' }, (r) => quick(r, 'odd.de')],
    [{ q: 'nobody-at-all' }, () => false],
    [{ q: 'details:hard_bounce' }, (r) => r.status_details === 'HARD_BOUNCE'],
    [{ q: 'from:billing' }, (r) => has(r.message_from, 'billing')],
    [
      { conditions: [{ type: 'text', column: 'cost_center', op: 'contains', value: '1' }] },
      (r) => has(r.cost_center, '1'),
    ],
    [narrow, (r) => within(r, narrow)],
    [wide, (r) => within(r, wide)],
    [{ q: 'jane', ...wide }, (r) => quick(r, 'jane') && within(r, wide)],
    [{ q: 'jane', ...narrow }, (r) => quick(r, 'jane') && within(r, narrow)],
  ];
}

/** Every bucket of every facet, as brute force over the rows counts it (all buckets: top 1000). */
function assertFacets(facets: Facets, subset: readonly Row[], label: string): void {
  const val = (v: string | number | null | undefined): string =>
    v === null || v === undefined || v === '' ? NONE : String(v);
  const keys: Record<keyof Facets, (r: Row) => string> = {
    status: (r) => val(r.status),
    substatus: (r) => val(r.substatus),
    status_details: (r) => val(r.status_details),
    smtp_class: (r) => (typeof r.smtp_code === 'number' ? `${Math.floor(r.smtp_code / 100)}xx` : NONE),
    // Domains are grouped case-insensitively.
    to_domain: (r) => val(lc(r.message_to_domain)),
    region: (r) => val(r.processing_region),
    interface: (r) => val(r.entry_interface),
  };
  for (const name of Object.keys(keys) as (keyof Facets)[]) {
    const want = new Map<string, number>();
    for (const r of subset) want.set(keys[name](r), (want.get(keys[name](r)) ?? 0) + 1);
    const got = new Map(facets[name].map((b) => [name === 'to_domain' ? lc(b.value) : b.value, b.count]));
    assert.deepEqual(
      [...got].sort(),
      [...want].map(([k, n]): [string, number] => [name === 'to_domain' ? lc(k) : k, n]).sort(),
      `${label}: ${name}`,
    );
  }
}

function checkAll(label: string, tuning?: FacetTuning): Set<FacetPlan> {
  const rows = ws.all();
  const plans = new Set<FacetPlan>();
  for (const [filter, pred] of cases(rows)) {
    const { facets, plan } = getFacetsWithPlan(ws.db, filter, 1000, tuning);
    plans.add(plan);
    assertFacets(facets, rows.filter(pred), `${label} ${JSON.stringify(filter)} (${plan})`);
  }
  return plans;
}

test('before the search index is built, facets come from the table and agree with brute force', () => {
  const plans = checkAll('no index', SMALL);
  assert.deepEqual([...plans].sort(), ['all', 'rows']);
});

test('every facet plan agrees with brute force, and each is reached', () => {
  updateSearchIndex(ws.db);
  checkAll('default thresholds');
  const plans = checkAll('low thresholds', SMALL);
  // Unfiltered and enum-only filters are summed from the summary once it is built (see summary.ts).
  assert.deepEqual([...plans].sort(), ['ids', 'index', 'rows', 'summary']);
});

test('plans: enum filters and broad substrings read only the facet index, narrow ones the table', () => {
  updateSearchIndex(ws.db);
  const plan = (filter: FilterModel): FacetPlan => getFacetsWithPlan(ws.db, filter, 10, SMALL).plan;
  assert.equal(plan({}), 'summary');
  assert.equal(plan({ q: 'status:error' }), 'summary');
  assert.equal(plan({ q: '-status:error' }), 'summary');
  // The same filter as a grid column filter (not answered from the summary) reads the facet index.
  assert.equal(plan({ conditions: [{ type: 'enum', column: 'status', values: ['ERROR'] }] }), 'index');
  // More matching addresses than the vocabulary hands out: ids read from the address index.
  assert.equal(plan({ q: 'jane' }), 'index');
  assert.equal(plan({ q: 'to:jane' }), 'index');
  // A handful of matching values: their rows are fetched by id and grouped.
  const own: FacetTuning = { maxValues: MAX_RESOLVED_VALUES_AGGREGATE, fewRows: FEW_ROWS };
  assert.equal(getFacetsWithPlan(ws.db, { q: 'jane' }, 10, own).plan, 'rows');
  // As a search asks (its id set shared with count and histogram): the ids read in record_facts.
  assert.equal(getFacetsWithPlan(ws.db, { q: 'jane' }, 10).plan, 'facts');
  // A column only the table has (a time window): few matches from the table, many through ids.
  const all = ws.all().map(time);
  const lo = Math.min(...all.filter((t) => !Number.isNaN(t)));
  assert.equal(plan({ timeFrom: lo, timeTo: lo + 1 }), 'rows');
  assert.equal(plan({ timeFrom: lo }), 'ids');
});

test('only facets turn a common substring into an id set; counts and pages keep their plans', () => {
  updateSearchIndex(ws.db);
  const page = compileWhere({ q: 'to:jane' }, createResolver(ws.db, SMALL.maxValues));
  assert.doesNotMatch(page.sql, /^id IN/);
  assert.match(page.sql, /LIKE/);
});

test('facets count records imported after the last search index update', () => {
  updateSearchIndex(ws.db);
  const before = getFacets(ws.db, { q: 'jane' }, 1000);
  insertRecord(ws.db, {
    message_to: 'late.jane@late-facets.de',
    message_to_domain: 'late-facets.de',
    status: 'ERROR',
    smtp_status_code: '550 5.1.1 mailbox of late.jane gone',
  });
  for (const tuning of [undefined, SMALL]) {
    const { facets } = getFacetsWithPlan(ws.db, { q: 'jane' }, 1000, tuning);
    assert.deepEqual(
      facets.to_domain.find((b) => b.value === 'late-facets.de'),
      { value: 'late-facets.de', count: 1 },
    );
    const errors = (f: Facets): number => f.status.find((b) => b.value === 'ERROR')?.count ?? 0;
    assert.equal(errors(facets), errors(before) + 1);
  }
  const rows = ws.all();
  for (const [filter, pred] of cases(rows).filter(([f]) => f.q !== undefined))
    assertFacets(
      getFacetsWithPlan(ws.db, filter, 1000, SMALL).facets,
      rows.filter(pred),
      `partial index ${JSON.stringify(filter)}`,
    );
});

test('the resolver hands out exactly the matching vocabulary values per column, or null when too many', () => {
  updateSearchIndex(ws.db);
  const vocab = ws.db.prepare('SELECT value FROM search_vocab WHERE col = ? AND value LIKE ?').pluck();
  const firstCols = ws.db
    .prepare('SELECT col FROM search_vocab WHERE value LIKE ? ORDER BY id LIMIT ?')
    .pluck();
  for (const maxValues of [50, 2000, 20_000]) {
    const resolver = createResolver(ws.db, maxValues);
    for (const term of ['jane', '.de', 'mueller1', 'user unknown', 'kunde.de', 'nobody-at-all']) {
      const want = SEARCH_COLUMNS.map((_, col) => (vocab.all(col, `%${term}%`) as string[]).sort());
      const total = want.reduce((n, v) => n + v.length, 0);
      // A phrase on a page's resolver (phrase-lookup.ts): more than maxValues of its first values (in
      // vocabulary order) in one column means every column is scanned (null).
      const first = phraseFirstRead(term, maxValues, MAX_RESOLVED_VALUES);
      const cols = first === null ? [] : (firstCols.all(`%${term}%`, first + 1) as number[]);
      const settled = SEARCH_COLUMNS.some((_, c) => cols.filter((x) => x === c).length > maxValues);
      SEARCH_COLUMNS.forEach((column, col) => {
        const got = resolver.resolve(column, term);
        const expected = settled || total > 5 * maxValues || want[col].length > maxValues ? null : want[col];
        assert.deepEqual(got === null ? null : [...got].sort(), expected, `${term} ${column} (${maxValues})`);
      });
    }
  }
});
