/**
 * Sorted pages of selective filters (sort-ids.ts): the matching ids sorted (top-N for first pages, a
 * kept order for deeper ones) and the bounded probe of a sort index give the rows a brute-force
 * ORDER BY gives, page after page as a user scrolls, across ties, with NULL and empty values, and
 * again after an append changed the matches.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { COLUMN_IDS, columnById, type ColumnId } from '../../common/columns';
import type { FilterModel, SortDir } from '../../common/contract';
import { compileWhere } from '../../main/engine/query/filter';
import { clearQueryCache, queryPage } from '../../main/engine/query/paging';
import { keptOrders, probeIndex, probeSorted, tableSorted } from '../../main/engine/query/sort-ids';
import { resolveSort } from '../../main/engine/query/sql';
import { importFiles, workspace } from './import-fixture';
import { insertRecord } from './query-fixture';
import { writeCaseExports } from './summary-brute';

/** Selective filters of several kinds: a free word, a domain, an enum value, a time range, a prefix, three terms. */
const FILTERS: FilterModel[] = [
  { q: 'jane' },
  { q: 'domain:web.de' },
  { q: 'details:soft_bounce' },
  { q: 'status:error' },
  { q: 'before:2026-10-05' },
  { q: 'to:max' },
  { q: 'status:error region:DE1 -interface:smtp' },
];

/** The order a person expects, spelled out independently of sql.ts. */
function bruteOrder(column: ColumnId, dir: SortDir): string {
  const d = dir === 'asc' ? 'ASC' : 'DESC';
  const expr =
    column === 'message_to' || column === 'message_to_domain'
      ? `lower(${column})`
      : columnById(column).kind === 'time'
        ? `${column}_ms`
        : column;
  const time = ['status', 'substatus', 'status_details'].includes(column) ? `, creation_time_ms ${d}` : '';
  return `${expr} ${d}${time}, id ${d}`;
}

function bruteIds(db: Database, filter: FilterModel, column: ColumnId, dir: SortDir): number[] {
  const where = compileWhere(filter);
  return db
    .prepare(`SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY ${bruteOrder(column, dir)}`)
    .pluck()
    .all(...where.params) as number[];
}

/**
 * Scrolls each sort as the grid does: the first two pages, a jump near the end (deep enough to sort
 * all matches for the larger filters), the page after it, and back to the first page (now a slice of
 * the kept order). Returns how many filters matched more than the first pages hold.
 */
function checkScrolls(db: Database, label: string): number {
  let deep = 0;
  for (const filter of FILTERS) {
    for (const column of COLUMN_IDS) {
      for (const dir of ['asc', 'desc'] as const) {
        clearQueryCache(db);
        const all = bruteIds(db, filter, column, dir);
        if (all.length > 1100 && column === COLUMN_IDS[0] && dir === 'asc') deep++;
        const end = Math.max(0, all.length - 130);
        for (const start of [0, 100, end, end + 100, 0]) {
          const got = queryPage(db, {
            filter,
            sort: [{ column, dir }],
            startRow: start,
            endRow: start + 100,
          });
          assert.deepEqual(
            got.rows.map((r) => r.id),
            all.slice(start, start + 100),
            `${label}: ${column} ${dir} from ${start} of ${all.length}, filter ${JSON.stringify(filter)}`,
          );
        }
      }
    }
  }
  return deep;
}

/** Matches of `jane` with NULL, empty and tied values in the columns no index orders. */
function addOddMatches(db: Database): void {
  for (let i = 0; i < 4; i++) {
    insertRecord(db, {
      message_to: i % 2 === 0 ? 'aaa.jane@web.de' : 'ZZZ.JANE@WEB.DE',
      message_to_domain: i % 2 === 0 ? 'web.de' : 'WEB.DE',
      status: 'ERROR',
      status_details: 'SOFT_BOUNCE',
      creation_time: '2026-10-01 00:00:00',
      tenant: i === 0 ? null : i === 1 ? '' : 'tie',
      cost_center: i < 2 ? null : '',
      message_size: i === 3 ? null : 1,
    });
  }
}

test('selective filters sort as a brute-force ORDER BY, page after page, after an append', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 5);
    await importFiles(w.db, [a]);
    await importFiles(w.db, [b]);
    const deep = checkScrolls(w.db, 'imported');
    assert.ok(deep > 0, 'some filter matches more rows than the first pages hold');
    // A deep page sorted all the matches once and kept the order (else only top-N was tested).
    clearQueryCache(w.db);
    queryPage(w.db, {
      filter: { q: 'jane' },
      sort: [{ column: 'tenant', dir: 'asc' }],
      startRow: 0,
      endRow: 100,
    });
    const before = keptOrders(w.db);
    const n = (w.db.prepare('SELECT count(*) FROM records').pluck().get() as number) / 5;
    const big = FILTERS.find((f) => {
      const m = bruteIds(w.db, f, 'tenant', 'asc').length;
      return m > 1100 && m <= n;
    });
    assert.ok(big !== undefined, 'a filter selective enough for an id sort with deep pages');
    queryPage(w.db, { filter: big, sort: [{ column: 'tenant', dir: 'desc' }], startRow: 1000, endRow: 1100 });
    assert.ok(keptOrders(w.db) > before || keptOrders(w.db) === 4, 'the deep page kept a sorted order');

    // The kept orders and id sets belong to the records as they were: an append changes the answer.
    addOddMatches(w.db);
    checkScrolls(w.db, 'after an append');
  } finally {
    w.cleanup();
  }
});

/**
 * The partial grid indexes (issue 11) rebuilt whole, as a workspace built before them has them: the
 * probe reads only whole indexes, and these are the ones with columns after the sort value.
 */
function wholeIndexes(db: Database): void {
  for (const name of ['records_to', 'records_to_domain', 'records_smtp']) {
    const sql = db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
      .pluck()
      .get(name) as string | undefined;
    if (sql === undefined) continue;
    db.exec(`DROP INDEX ${name}`);
    db.exec(sql.replace(/\s+WHERE\s+id\s*<=\s*\d+\s*$/i, ''));
  }
}

test('the index probe answers only with key groups it read whole, else declines', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 6);
    await importFiles(w.db, [a]);
    await importFiles(w.db, [b]);
    addOddMatches(w.db);
    wholeIndexes(w.db);
    let found = 0;
    let declined = 0;
    const cases: [ColumnId, string][] = [
      ['message_to_domain', 'records_to_domain'],
      ['message_to', 'records_to'],
      ['job_id', 'records_job'],
      ['message_size', 'records_size'],
    ];
    for (const [column, index] of cases) {
      for (const filter of FILTERS) {
        for (const dir of ['asc', 'desc'] as const) {
          const all = bruteIds(w.db, filter, column, dir);
          for (const probe of [50, 800, 20_000]) {
            for (const start of [0, 100]) {
              const got = probeSorted(
                w.db,
                index,
                compileWhere(filter),
                resolveSort([{ column, dir }]),
                start,
                start + 100,
                probe,
              );
              if (got === null) {
                declined++;
                continue;
              }
              found++;
              assert.deepEqual(
                got,
                all.slice(start, start + 100),
                `${index} ${dir} probe ${probe} from ${start}, ${JSON.stringify(filter)}`,
              );
            }
          }
        }
      }
    }
    assert.ok(found > 0 && declined > 0, `both outcomes seen (${found} found, ${declined} declined)`);
  } finally {
    w.cleanup();
  }
});

test('broad filters: the table sort with the index kept out, and the probe telling sparse from dense', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 7);
    await importFiles(w.db, [a]);
    await importFiles(w.db, [b]);
    addOddMatches(w.db);
    wholeIndexes(w.db);
    for (const filter of [{ q: '-status:error' }, { q: '-jane interface:rest' }]) {
      for (const column of COLUMN_IDS) {
        for (const dir of ['asc', 'desc'] as const) {
          const all = bruteIds(w.db, filter, column, dir);
          for (const start of [0, 250]) {
            const keys = resolveSort([{ column, dir }]);
            const got = tableSorted(w.db, compileWhere(filter), keys, start, start + 100);
            assert.deepEqual(
              got.map((r) => r.id),
              all.slice(start, start + 100),
              `${column} ${dir} from ${start}, ${JSON.stringify(filter)}`,
            );
          }
        }
      }
    }
    // SMTP codes descending start with the 5xx of errors: `-status:error` finds none among the first
    // entries (sparse), `status:error` fills a page there.
    const keys = resolveSort([{ column: 'smtp_status_code', dir: 'desc' }]);
    const index = { name: 'records_smtp', cols: 'smtp_status_code' };
    const sparse = probeIndex(w.db, index, compileWhere({ q: '-status:error' }), keys, 0, 100, 200);
    assert.deepEqual(sparse, { page: null, sparse: true });
    const dense = probeIndex(w.db, index, compileWhere({ q: 'status:error' }), keys, 0, 100, 200);
    assert.equal(dense.sparse, false);
    assert.deepEqual(
      dense.page,
      bruteIds(w.db, { q: 'status:error' }, 'smtp_status_code', 'desc').slice(0, 100),
    );
  } finally {
    w.cleanup();
  }
});
