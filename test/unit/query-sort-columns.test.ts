/**
 * Every sortable column, both directions, under several filters and at deep pages, gives the rows a
 * brute-force ORDER BY gives: through the sort index (message_size), the value-by-value walk (region,
 * interface) and the whole-table sort, after an append, with records the summaries do not hold yet,
 * and after an import was removed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { COLUMN_IDS, columnById, type ColumnId } from '../../common/columns';
import type { FilterModel, SortDir } from '../../common/contract';
import { removeImport } from '../../main/engine/import/remove';
import { compileWhere } from '../../main/engine/query/filter';
import { clearQueryCache, queryPage } from '../../main/engine/query/paging';
import { resolveSort } from '../../main/engine/query/sql';
import { probePage, sortIndexed } from '../../main/engine/query/sort-index';
import { planReads, walkable, walkPage } from '../../main/engine/query/sort-walk';
import { summaryCoverage } from '../../main/engine/query/summary';
import { importFiles, workspace } from './import-fixture';
import { insertRecord } from './query-fixture';
import { writeCaseExports } from './summary-brute';

const FILTERS: FilterModel[] = [
  {},
  { q: 'status:error' },
  { q: '-region:DE1 interface:rest' },
  { q: 'after:2026-10-25' },
  { q: 'jane' },
];

/** The order a person expects, spelled out independently of sql.ts: value, then time for status columns, then id. */
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

function bruteIds(
  db: Database,
  filter: FilterModel,
  column: ColumnId,
  dir: SortDir,
  start: number,
): number[] {
  const where = compileWhere(filter);
  return db
    .prepare(
      `SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY ${bruteOrder(column, dir)} LIMIT 100 OFFSET ?`,
    )
    .pluck()
    .all(...where.params, start) as number[];
}

function checkAll(db: Database, label: string): void {
  const total = db.prepare('SELECT count(*) FROM records').pluck().get() as number;
  for (const filter of FILTERS) {
    for (const column of COLUMN_IDS) {
      for (const dir of ['asc', 'desc'] as const) {
        // First page, one across the boundary of two values (region has ~6 values), a deep page, the end.
        for (const start of [0, Math.floor(total / 6) - 50, Math.floor(total / 2), total - 60]) {
          clearQueryCache(db);
          const got = queryPage(db, {
            filter,
            sort: [{ column, dir }],
            startRow: start,
            endRow: start + 100,
          });
          assert.deepEqual(
            got.rows.map((r) => r.id),
            bruteIds(db, filter, column, dir, start),
            `${label}: ${column} ${dir} from ${start}, filter ${JSON.stringify(filter)}`,
          );
        }
      }
    }
  }
}

/**
 * A filtered size sort read from the index's first entries: the same rows as brute force when they are
 * all there, null (the caller sorts the table) when the probe ends before the page does.
 */
function checkProbe(db: Database): void {
  let found = 0;
  let declined = 0;
  for (const filter of FILTERS.slice(1)) {
    for (const dir of ['asc', 'desc'] as const) {
      const keys = resolveSort([{ column: 'message_size', dir }]);
      for (const start of [0, 300]) {
        const rows = probePage(db, compileWhere(filter), keys, start, start + 100, 800);
        if (rows === null) {
          declined++;
          continue;
        }
        found++;
        assert.deepEqual(
          rows.map((r) => r.id),
          bruteIds(db, filter, 'message_size', dir, start),
          `probe ${dir} from ${start}, filter ${JSON.stringify(filter)}`,
        );
      }
    }
  }
  assert.ok(found > 0 && declined > 0, `both outcomes seen (${found} found, ${declined} declined)`);
}

/** Rows the generator never makes: no region or interface, a region of its own, no size. */
function addOddRows(db: Database): void {
  for (let i = 0; i < 5; i++) {
    insertRecord(db, { status: 'ERROR', creation_time: '2026-11-02 10:00:00', message_size: null });
    insertRecord(db, { status: 'OK', processing_region: 'AA0', entry_interface: 'rest', message_size: 7 });
  }
}

test('every column sorts as a brute-force ORDER BY: after an append, with rows pending, after a removal', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 5);
    await importFiles(w.db, [a]);
    await importFiles(w.db, [b]);
    assert.ok(sortIndexed(w.db, 'message_size'), 'the search-index phase built the size index');
    const coverage = summaryCoverage(w.db);
    assert.ok(coverage > 0);
    // The walk is really taken for an unfiltered region sort (else the brute-force check below would
    // only test the whole-table sort again).
    const keys = resolveSort([{ column: 'processing_region', dir: 'desc' }]);
    assert.ok(walkable(keys));
    assert.notEqual(walkPage(w.db, {}, compileWhere({}), keys, 0, 100), null);
    checkAll(w.db, 'after an append');
    checkProbe(w.db);

    addOddRows(w.db);
    assert.ok(summaryCoverage(w.db) < (w.db.prepare('SELECT max(id) FROM records').pluck().get() as number));
    checkAll(w.db, 'with rows pending');

    await removeImport(w.db, 1, new AbortController().signal);
    checkAll(w.db, 'after removing the first import');
  } finally {
    w.cleanup();
  }
});

test('the walk plans reads within and across values, and declines when rare values would cost passes', () => {
  const counts = [
    { v: 'CH1', n: 1000 },
    { v: 'DE1', n: 2000 },
    { v: 'US1', n: 10 },
    { v: 'US2', n: 10 },
  ];
  assert.deepEqual(planReads(counts, 0, 100), [{ v: 'CH1', skip: 0, limit: 100 }]);
  assert.deepEqual(planReads(counts, 950, 100), [
    { v: 'CH1', skip: 950, limit: 50 },
    { v: 'DE1', skip: 0, limit: 50 },
  ]);
  assert.deepEqual(planReads(counts, 5000, 100), []);
  // Both rare values read to their last row: two passes, more than the whole-table sort's one.
  assert.equal(planReads(counts, 2990, 100), null);
  assert.equal(planReads([{ v: null, n: 3 }, { v: 'AA0', n: 5 }, ...counts], 0, 100), null);
});
