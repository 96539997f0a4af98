import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ColumnId } from '../../common/columns';
import type { ColumnCondition, FilterModel, SortKey } from '../../common/contract';
import {
  countRows,
  getDrilldown,
  getFacets,
  getHistogram,
  lookupAddresses,
  queryPage,
} from '../../main/engine/query';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { compileCount, compileSelect } from '../../main/engine/query/select';
import { filledWorkspace, type Filled } from './query-fixture';

const PAYLOADS = [
  "'; DROP TABLE records; --",
  '"; DELETE FROM records; --',
  "x' OR '1'='1",
  ') OR 1=1 --',
  "'); UPDATE records SET status='HACKED'; --",
  '%',
  '_',
  '\\',
  "status:error'; DROP TABLE meta; --",
  '"unterminated',
  'to:"a\') OR 1=1 --"',
  '\u0000nul',
];

let ws: Filled;
let snapshot: { records: number; schema: string; hacked: number };

function state(): typeof snapshot {
  const db = ws.db;
  return {
    records: (db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n,
    schema: (
      db
        .prepare(
          "SELECT group_concat(name || ':' || ifnull(sql, ''), '|') AS s FROM sqlite_master ORDER BY name",
        )
        .get() as { s: string }
    ).s,
    hacked: (db.prepare("SELECT count(*) AS n FROM records WHERE status = 'HACKED'").get() as { n: number })
      .n,
  };
}

before(() => {
  ws = filledWorkspace(500);
  updateSearchIndex(ws.db);
  snapshot = state();
});
after(() => ws.close());

/** Either a result, or an EngineError with a code: never a raw SQLite error, never a changed database. */
function safely(label: string, run: () => unknown): void {
  try {
    run();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    assert.ok(
      code === 'INVALID_ARGUMENT' || code === 'SEARCH_SYNTAX',
      `${label}: untyped error ${String(err)}`,
    );
  }
  assert.deepEqual(state(), snapshot, `${label} changed the database`);
}

test('hostile search text and filter values are bound, never executed', () => {
  for (const p of PAYLOADS) {
    const filters: FilterModel[] = [
      { q: p },
      { q: `"${p.replace(/"/g, '\\"')}"` },
      { q: `to:"${p.replace(/"/g, '\\"')}"` },
      { conditions: [{ type: 'text', column: 'message_to', op: 'contains', value: p }] },
      { conditions: [{ type: 'text', column: 'status', op: 'equals', value: p }] },
      {
        conditions: [{ type: 'text', column: 'smtp_status_code', op: 'startsWith', value: p, negate: true }],
      },
      { conditions: [{ type: 'enum', column: 'status', values: [p, 'OK'] }] },
    ];
    for (const filter of filters) {
      safely(`count ${JSON.stringify(filter)}`, () => countRows(ws.db, filter));
      safely(`page ${JSON.stringify(filter)}`, () =>
        queryPage(ws.db, { filter, sort: [{ column: 'message_to', dir: 'asc' }], startRow: 0, endRow: 50 }),
      );
      safely(`facets ${JSON.stringify(filter)}`, () => getFacets(ws.db, filter, 10));
      safely(`histogram ${JSON.stringify(filter)}`, () => getHistogram(ws.db, filter, 60));
      safely(`export sql ${JSON.stringify(filter)}`, () => {
        const c = compileSelect(filter, [], ['message_to']);
        ws.db.prepare(c.sql).all(...c.params);
      });
    }
    safely(`drilldown ${p}`, () => getDrilldown(ws.db, p));
    safely(`lookup ${p}`, () => lookupAddresses(ws.db, [p]));
  }
  // A value that looks like SQL matches literally: nothing here, and no error.
  assert.equal(
    countRows(ws.db, { conditions: [{ type: 'enum', column: 'status', values: ["OK' OR '1'='1"] }] }),
    0,
  );
});

test('column ids, sort keys and directions outside the whitelist are typed INVALID_ARGUMENT errors', () => {
  const badColumns = [
    'status; DROP TABLE records',
    'records.status',
    'id',
    'row_key',
    '1',
    'creation_time DESC',
    '',
  ];
  for (const column of badColumns) {
    const asColumn = column as ColumnId;
    const conditions: ColumnCondition[] = [
      { type: 'text', column: asColumn, op: 'contains', value: 'x' },
      { type: 'enum', column: asColumn, values: ['x'] },
      { type: 'number', column: asColumn, min: 1 },
      { type: 'time', column: asColumn, from: 1 },
    ];
    for (const c of conditions) {
      assert.throws(
        () => countRows(ws.db, { conditions: [c] }),
        (e: { code?: string }) => e.code === 'INVALID_ARGUMENT',
        `condition on ${column}`,
      );
    }
    const sort = [{ column: asColumn, dir: 'asc' }] as SortKey[];
    assert.throws(
      () => queryPage(ws.db, { filter: {}, sort, startRow: 0, endRow: 10 }),
      (e: { code?: string }) => e.code === 'INVALID_ARGUMENT',
      `sort ${column}`,
    );
    assert.throws(
      () => compileSelect({}, sort, ['status']),
      (e: { code?: string }) => e.code === 'INVALID_ARGUMENT',
    );
    assert.throws(
      () => compileSelect({}, [], [asColumn]),
      (e: { code?: string }) => e.code === 'INVALID_ARGUMENT',
    );
  }
  for (const dir of ['ASC; DROP TABLE records', 'up', '']) {
    const sort = [{ column: 'status', dir }] as unknown as SortKey[];
    assert.throws(
      () => queryPage(ws.db, { filter: {}, sort, startRow: 0, endRow: 10 }),
      (e: { code?: string }) => e.code === 'INVALID_ARGUMENT',
      `dir ${dir}`,
    );
  }
  const notAFilter = { q: 42 } as unknown as FilterModel;
  assert.throws(
    () => compileCount(notAFilter),
    (e: { code?: string }) => e.code === 'INVALID_ARGUMENT',
  );
  assert.throws(
    () => countRows(ws.db, { q: 'x'.repeat(5000) }),
    (e: { code?: string }) => e.code === 'INVALID_ARGUMENT',
  );
  assert.deepEqual(state(), snapshot);
});

test('compileSelect and compileCount filter and sort like the grid (for export)', () => {
  const filter: FilterModel = { q: 'status:error -details:hard_bounce' };
  const c = compileCount(filter);
  assert.equal((ws.db.prepare(c.sql).get(...c.params) as { n: number }).n, countRows(ws.db, filter));
  const s = compileSelect(
    filter,
    [{ column: 'message_size', dir: 'desc' }],
    ['message_to', 'message_size', 'creation_time'],
  );
  const rows = ws.db.prepare(s.sql).all(...s.params) as {
    message_to: string;
    message_size: number;
    creation_time: string;
  }[];
  assert.equal(rows.length, countRows(ws.db, filter));
  assert.deepEqual(Object.keys(rows[0] ?? {}), ['message_to', 'message_size', 'creation_time']);
  for (let i = 1; i < rows.length; i++)
    assert.ok((rows[i - 1]?.message_size ?? 0) >= (rows[i]?.message_size ?? 0));
  const page = queryPage(ws.db, {
    filter,
    sort: [{ column: 'message_size', dir: 'desc' }],
    startRow: 0,
    endRow: 1000,
  });
  assert.deepEqual(
    rows.map((r) => r.message_to),
    page.rows.map((r) => r.message_to),
  );
});
