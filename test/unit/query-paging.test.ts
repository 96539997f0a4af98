import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FilterModel, SortKey } from '../../common/contract';
import { queryPage } from '../../main/engine/query';
import { compileWhere } from '../../main/engine/query/filter';
import { ANCHOR_EVERY } from '../../main/engine/query/paging';
import { orderBySql, resolveSort } from '../../main/engine/query/sql';
import { filledWorkspace, insertRecord, type Filled } from './query-fixture';

let ws: Filled;
before(() => {
  ws = filledWorkspace(4500);
  // A block of NULL sort keys, so pages cross from the NULL segment into the values and back.
  for (let i = 0; i < 30; i++)
    insertRecord(ws.db, {
      status: i % 2 ? 'OK' : null,
      message_size: null,
      message_to: null,
      creation_time: null,
    });
});
after(() => ws.close());

/** The reference: plain OFFSET paging with the same ORDER BY. */
function offsetIds(filter: FilterModel, sort: readonly SortKey[], start: number, end: number): number[] {
  const where = compileWhere(filter);
  return ws.db
    .prepare(
      `SELECT id FROM records WHERE ${where.sql} ORDER BY ${orderBySql(resolveSort(sort))} LIMIT ? OFFSET ?`,
    )
    .pluck()
    .all(...where.params, end - start, start) as number[];
}

const SORTS: SortKey[][] = [
  [{ column: 'creation_time', dir: 'desc' }],
  [{ column: 'creation_time', dir: 'asc' }],
  [{ column: 'status', dir: 'asc' }],
  [{ column: 'status', dir: 'desc' }],
  [{ column: 'message_size', dir: 'desc' }],
  [{ column: 'message_to', dir: 'asc' }],
  [{ column: 'version', dir: 'asc' }],
  [],
  [
    { column: 'substatus', dir: 'asc' },
    { column: 'message_size', dir: 'desc' },
  ],
];

test('keyset pages equal OFFSET pages for every sort, with ties and NULLs, in any request order', () => {
  const total = (ws.db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
  // Deep pages first (anchors found from far away), then neighbours, then pages straddling anchors.
  const starts = [3900, 0, 2950, 4480, 1000, 999, 100, 4000 - 7, total - 10, 2 * ANCHOR_EVERY + 1];
  for (const sort of SORTS) {
    for (const filter of [{}, { q: 'status:error' }, { q: '-details:ok size>1000' }] as FilterModel[]) {
      for (const start of starts) {
        const end = start + 100;
        const got = queryPage(ws.db, { filter, sort, startRow: start, endRow: end }).rows.map((r) => r.id);
        assert.deepEqual(
          got,
          offsetIds(filter, sort, start, end),
          `sort ${JSON.stringify(sort)} filter ${JSON.stringify(filter)} start ${start}`,
        );
      }
    }
  }
});

test('walking every page covers every row exactly once, in order', () => {
  const sort: SortKey[] = [{ column: 'status', dir: 'desc' }];
  const seen: number[] = [];
  let lastRow = Infinity;
  for (let start = 0; start < lastRow; start += 250) {
    const page = queryPage(ws.db, { filter: {}, sort, startRow: start, endRow: start + 250 });
    lastRow = page.lastRow ?? lastRow;
    seen.push(...page.rows.map((r) => r.id));
  }
  assert.equal(seen.length, lastRow);
  assert.equal(new Set(seen).size, seen.length);
  assert.deepEqual(seen, offsetIds({}, sort, 0, lastRow));
});

test('sorting is by value with a stable tie-break (time for status columns, then id); text sorts ignore case', () => {
  const rows = queryPage(ws.db, {
    filter: {},
    sort: [{ column: 'message_to', dir: 'asc' }],
    startRow: 0,
    endRow: 1000,
  }).rows;
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]?.message_to;
    const b = rows[i]?.message_to;
    if (a === null || b === null || a === undefined || b === undefined) continue;
    // NOCASE folds ASCII letters and then compares bytes, like JavaScript on lower-cased ASCII.
    assert.ok(String(a).toLowerCase() <= String(b).toLowerCase(), `${String(a)} before ${String(b)}`);
  }
  const byStatus = queryPage(ws.db, {
    filter: {},
    sort: [{ column: 'status', dir: 'asc' }],
    startRow: 40,
    endRow: 140,
  }).rows;
  for (let i = 1; i < byStatus.length; i++) {
    const [a, b] = [byStatus[i - 1], byStatus[i]];
    if (!a || !b || a.status !== b.status) continue;
    // Within a status: creation time (NULLs first), then id.
    const [ta, tb] = [a.creation_time_ms ?? -Infinity, b.creation_time_ms ?? -Infinity];
    assert.ok(ta < tb || (ta === tb && a.id < b.id), 'ties ordered by time, then id');
  }
});

test('pages past the end are empty; lastRow is the filter count; bad ranges are typed errors', () => {
  const page = queryPage(ws.db, {
    filter: { q: 'status:error' },
    sort: [],
    startRow: 100_000,
    endRow: 100_100,
  });
  assert.deepEqual(page.rows, []);
  const n = (ws.db.prepare("SELECT count(*) AS n FROM records WHERE status = 'ERROR'").get() as { n: number })
    .n;
  assert.equal(page.lastRow, n);
  for (const [startRow, endRow] of [
    [-1, 10],
    [10, 10],
    [0, 5000],
    [1.5, 10],
  ] as [number, number][]) {
    assert.throws(
      () => queryPage(ws.db, { filter: {}, sort: [], startRow, endRow }),
      (e: { code?: string }) => e.code === 'INVALID_ARGUMENT',
    );
  }
});

test('cached anchors follow new data: a page after another insert is still right', () => {
  const sort: SortKey[] = [{ column: 'creation_time', dir: 'desc' }];
  queryPage(ws.db, { filter: {}, sort, startRow: 3000, endRow: 3100 });
  insertRecord(ws.db, { creation_time: '2030-01-01 00:00:00.000', status: 'OK' });
  const got = queryPage(ws.db, { filter: {}, sort, startRow: 3000, endRow: 3100 }).rows.map((r) => r.id);
  assert.deepEqual(got, offsetIds({}, sort, 3000, 3100));
});
