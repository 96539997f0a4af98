import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ColumnCondition, FilterModel } from '../../common/contract';
import { countRows, getFacets, getHistogram, queryPage } from '../../main/engine/query';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { NONE } from '../../main/engine/query/facets';
import { compileWhere } from '../../main/engine/query/filter';
import { createResolver } from '../../main/engine/query/resolver';
import {
  filledWorkspace,
  has,
  insertRecord,
  lc,
  quick,
  tempWorkspace,
  type Filled,
  type Row,
} from './query-fixture';

let ws: Filled;
before(() => {
  ws = filledWorkspace(3000);
});
after(() => ws.close());

const ms = (s: string): number => Date.parse(`${s}T00:00:00Z`);

/** Search text or filter, and the same question asked of every row in JavaScript. */
function cases(sample: Row): [FilterModel, (r: Row) => boolean][] {
  const corr = String(sample.correlation_id);
  return [
    [{}, () => true],
    [{ q: 'status:error' }, (r) => r.status === 'ERROR'],
    [{ q: 'status:ok status:error' }, (r) => r.status === 'OK' || r.status === 'ERROR'],
    [
      { q: 'status:error details:hard_bounce' },
      (r) => r.status === 'ERROR' && r.status_details === 'HARD_BOUNCE',
    ],
    [{ q: '-details:ok' }, (r) => r.status_details !== 'OK'],
    [{ q: 'to:mueller1' }, (r) => has(r.message_to, 'mueller1')],
    [{ q: 'jane' }, (r) => quick(r, 'jane')],
    [{ q: 'jane kunde.de' }, (r) => quick(r, 'jane') && quick(r, 'kunde.de')],
    [{ q: 'ODD.de' }, (r) => quick(r, 'odd.de')],
    [{ q: 'ab' }, (r) => quick(r, 'ab')],
    [{ q: '100%_' }, (r) => quick(r, '100%_')],
    [{ q: '0%_o' }, (r) => quick(r, '0%_o')],
    [{ q: '"user unknown"' }, (r) => quick(r, 'user unknown')],
    [{ q: `"o'reilly"` }, (r) => quick(r, "o'reilly")],
    [{ q: '-jane' }, (r) => !quick(r, 'jane')],
    [{ q: 'smtp:550' }, (r) => r.smtp_code === 550],
    [{ q: 'smtp:5.1.1' }, (r) => r.smtp_enhanced === '5.1.1'],
    [{ q: 'smtp:4xx' }, (r) => typeof r.smtp_code === 'number' && r.smtp_code >= 400 && r.smtp_code < 500],
    [{ q: 'size>100000' }, (r) => typeof r.message_size === 'number' && r.message_size > 100000],
    [{ q: 'size<=5000' }, (r) => typeof r.message_size === 'number' && r.message_size <= 5000],
    [
      { q: 'after:2026-10-03 before:2026-10-05' },
      (r) =>
        typeof r.creation_time_ms === 'number' &&
        r.creation_time_ms >= ms('2026-10-03') &&
        r.creation_time_ms < ms('2026-10-05'),
    ],
    [{ q: 'domain:KUNDE.DE' }, (r) => lc(r.message_to_domain) === 'kunde.de'],
    [{ q: `corr:${corr}` }, (r) => r.correlation_id === corr],
    [{ q: corr }, (r) => quick(r, corr)],
    [{ q: 'usage:u-5-1' }, (r) => r.usage_id === 'u-5-1'],
    [
      { q: 'region:de1 region:us2 -interface:smtp' },
      (r) => (r.processing_region === 'DE1' || r.processing_region === 'US2') && r.entry_interface !== 'smtp',
    ],
    [
      { q: 'from:billing campaign:campaign-0' },
      (r) => has(r.message_from, 'billing') && r.campaign_id === 'campaign-0',
    ],
    [
      { conditions: [{ type: 'text', column: 'message_to', op: 'startsWith', value: 'anna.' }] },
      (r) => lc(r.message_to).startsWith('anna.'),
    ],
    [
      // The prefix's key range on lower(message_to) must fold case like the LIKE it narrows.
      { conditions: [{ type: 'text', column: 'message_to', op: 'startsWith', value: 'ANNA.M' }] },
      (r) => lc(r.message_to).startsWith('anna.m'),
    ],
    [
      {
        conditions: [
          { type: 'text', column: 'message_to_domain', op: 'startsWith', value: 'Kunde', negate: true },
        ],
      },
      (r) => !lc(r.message_to_domain).startsWith('kunde'),
    ],
    [
      { conditions: [{ type: 'text', column: 'message_to', op: 'equals', value: 'upper.case@odd.de' }] },
      (r) => lc(r.message_to) === 'upper.case@odd.de',
    ],
    [
      {
        conditions: [
          { type: 'text', column: 'smtp_status_code', op: 'contains', value: 'quota', negate: true },
        ],
      },
      (r) => !has(r.smtp_status_code, 'quota'),
    ],
    [
      { conditions: [{ type: 'number', column: 'message_size', min: 50000, max: 60000 }] },
      (r) => typeof r.message_size === 'number' && r.message_size >= 50000 && r.message_size <= 60000,
    ],
    [
      { conditions: [{ type: 'time', column: 'meta_data_creation_time', from: ms('2026-10-04') }] },
      (r) =>
        typeof r.meta_data_creation_time_ms === 'number' && r.meta_data_creation_time_ms >= ms('2026-10-04'),
    ],
    [
      { conditions: [{ type: 'enum', column: 'substatus', values: ['BOUNCED', 'DROPPED'] }] },
      (r) => r.substatus === 'BOUNCED' || r.substatus === 'DROPPED',
    ],
    [
      { conditions: [{ type: 'enum', column: 'status', values: ['OK'], negate: true }] },
      (r) => r.status !== 'OK',
    ],
    [
      { q: 'status:error', timeFrom: ms('2026-10-02'), timeTo: ms('2026-10-06') },
      (r) =>
        r.status === 'ERROR' &&
        typeof r.creation_time_ms === 'number' &&
        r.creation_time_ms >= ms('2026-10-02') &&
        r.creation_time_ms < ms('2026-10-06'),
    ],
  ];
}

function checkCounts(label: string): void {
  const rows = ws.all();
  for (const [filter, pred] of cases(rows[10])) {
    const expected = rows.filter(pred).length;
    assert.equal(countRows(ws.db, filter), expected, `${label}: count for ${JSON.stringify(filter)}`);
    const page = queryPage(ws.db, {
      filter,
      sort: [{ column: 'creation_time', dir: 'desc' }],
      startRow: 0,
      endRow: 1000,
    });
    assert.equal(page.lastRow, expected, `${label}: lastRow for ${JSON.stringify(filter)}`);
    const ids = new Set(rows.filter(pred).map((r) => r.id));
    for (const r of page.rows)
      assert.ok(ids.has(r.id), `${label}: row ${r.id} does not match ${JSON.stringify(filter)}`);
    assert.equal(page.rows.length, Math.min(1000, expected));
  }
}

test('counts and pages agree with brute force before the search index exists (LIKE scans)', () => {
  checkCounts('no index');
});

test('counts and pages agree with brute force through the search vocabulary', () => {
  assert.doesNotMatch(compileWhere({ q: 'jane' }, createResolver(ws.db)).sql, /json_each/);
  updateSearchIndex(ws.db);
  // The vocabulary path is really taken (and LIKE only for two-letter terms).
  assert.match(compileWhere({ q: 'jane' }, createResolver(ws.db)).sql, /json_each/);
  assert.doesNotMatch(compileWhere({ q: 'jane' }, createResolver(ws.db)).sql, /LIKE/);
  assert.match(compileWhere({ q: 'ab' }, createResolver(ws.db)).sql, /LIKE/);
  checkCounts('index');
});

test('records imported after the last index update are still found (LIKE over the new id range)', () => {
  insertRecord(ws.db, {
    message_to: 'late.jane@kunde.de',
    message_to_domain: 'kunde.de',
    status: 'ERROR',
    smtp_status_code: '550 5.1.1 mailbox of late.jane gone',
  });
  checkCounts('partial index');
  updateSearchIndex(ws.db);
  checkCounts('index caught up');
});

test('facets agree with brute force under a filter', () => {
  const rows = ws.all();
  for (const [filter, pred] of [
    [{}, () => true],
    [{ q: 'status:error' }, (r: Row) => r.status === 'ERROR'],
    [{ q: 'jane' }, (r: Row) => quick(r, 'jane')],
  ] as [FilterModel, (r: Row) => boolean][]) {
    const facets = getFacets(ws.db, filter, 100);
    const subset = rows.filter(pred);
    const tally = (key: (r: Row) => string): Map<string, number> => {
      const m = new Map<string, number>();
      for (const r of subset) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
      return m;
    };
    const val = (v: string | number | null | undefined): string =>
      v === null || v === undefined || v === '' ? NONE : String(v);
    const expect: Record<string, Map<string, number>> = {
      status: tally((r) => val(r.status)),
      substatus: tally((r) => val(r.substatus)),
      status_details: tally((r) => val(r.status_details)),
      smtp_class: tally((r) =>
        typeof r.smtp_code === 'number' ? `${Math.floor(r.smtp_code / 100)}xx` : NONE,
      ),
      to_domain: tally((r) => val(lc(r.message_to_domain))),
      region: tally((r) => val(r.processing_region)),
      interface: tally((r) => val(r.entry_interface)),
    };
    for (const [name, buckets] of Object.entries(facets)) {
      // Domains are grouped case-insensitively.
      const got = new Map(buckets.map((b) => [name === 'to_domain' ? lc(b.value) : b.value, b.count]));
      const want = expect[name];
      for (const [k, n] of want) assert.equal(got.get(k), n, `${JSON.stringify(filter)} ${name}=${k}`);
      assert.equal(
        buckets.reduce((s, b) => s + b.count, 0),
        subset.length,
        `${name} buckets add up`,
      );
    }
  }
});

test('histogram buckets are nice sizes and add up to the count, split by outcome', () => {
  const h = getHistogram(ws.db, { q: 'jane' }, 60);
  assert.ok([60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000, 604_800_000].includes(h.bucketMs));
  const rows = ws.all().filter((r) => quick(r, 'jane') && r.creation_time_ms !== null);
  const sum = (k: 'delivered' | 'bounced' | 'dropped' | 'other'): number =>
    h.buckets.reduce((s, b) => s + b[k], 0);
  assert.equal(sum('delivered'), rows.filter((r) => r.substatus === 'DELIVERED').length);
  assert.equal(sum('bounced'), rows.filter((r) => r.substatus === 'BOUNCED').length);
  assert.equal(sum('dropped'), rows.filter((r) => r.substatus === 'DROPPED').length);
  assert.equal(sum('delivered') + sum('bounced') + sum('dropped') + sum('other'), rows.length);
  assert.ok(h.buckets.length <= 60 && h.buckets.length > 1);
  h.buckets.forEach((b, i) => assert.equal(b.start, (h.from ?? 0) + i * h.bucketMs));
  assert.deepEqual(getHistogram(ws.db, { q: 'to:nobody-at-all' }, 60).buckets, []);
});

test('invalid filters give typed errors', () => {
  const bad: unknown[] = [
    { conditions: [{ type: 'number', column: 'message_to', min: 1 }] as ColumnCondition[] },
    { conditions: [{ type: 'text', column: 'message_size', op: 'contains', value: '1' }] },
    { conditions: [{ type: 'text', column: 'message_to', op: 'like', value: '1' }] },
    { conditions: [{ type: 'number', column: 'message_size', min: Number.NaN }] },
    { timeFrom: 'yesterday' },
  ];
  for (const filter of bad) {
    assert.throws(
      () => countRows(ws.db, filter as FilterModel),
      (e: { code?: string }) => e.code === 'INVALID_ARGUMENT',
      JSON.stringify(filter),
    );
  }
  assert.throws(
    () => countRows(ws.db, { q: 'status:error bogus:1' }),
    (e: { code?: string; details?: { start?: number; end?: number } }) =>
      e.code === 'SEARCH_SYNTAX' && e.details?.start === 13 && e.details.end === 20,
  );
});

test('address prefixes and equality fold ASCII letters only, as SQLite does, through the lower() index', () => {
  const w = tempWorkspace();
  try {
    for (const to of ['MÜLLER@x.de', 'mÜller@y.de', 'müller@z.de', 'Mueller@w.de', 'MÜLL@v.de', 'Zoë@q.de'])
      insertRecord(w.db, { message_to: to });
    const count = (conditions: ColumnCondition[]): number => countRows(w.db, { conditions });
    const starts = (value: string): number =>
      count([{ type: 'text', column: 'message_to', op: 'startsWith', value }]);
    assert.equal(starts('MÜ'), 3); // MÜLLER, mÜller, MÜLL: "M" folds, "Ü" does not
    assert.equal(starts('mü'), 1);
    assert.equal(starts('MUE'), 1);
    assert.equal(starts('zoË'), 0);
    assert.equal(starts('ZOë'), 1);
    assert.equal(count([{ type: 'text', column: 'message_to', op: 'equals', value: 'mÜLLER@X.DE' }]), 1);
    const plan = compileWhere({
      conditions: [{ type: 'text', column: 'message_to', op: 'startsWith', value: 'MÜ' }],
    });
    const detail = (
      w.db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM records WHERE ${plan.sql}`).all(...plan.params) as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    assert.ok(
      detail.some((d) => d.includes('records_to')),
      detail.join('; '),
    );
  } finally {
    w.close();
  }
});
