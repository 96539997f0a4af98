/**
 * Sorts by the columns no index orders, read from the page reader's value codes (column-codes.ts,
 * sort-codes.ts), give the rows a brute-force ORDER BY gives: every such column x both directions x
 * filters x first, boundary, middle and last pages; with the codes loaded, partly loaded (declined),
 * with a delta loaded on by the request (new values sorting in the middle, NULL and '', numbers and
 * text mixed in an INTEGER column, characters above U+FFFF), a delta too large (declined until the
 * idle steps load it) and after an import was removed (new generation: dropped, then reloaded).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import { COLUMN_IDS, columnById, type ColumnId } from '../../common/columns';
import type { FilterModel, SortDir } from '../../common/contract';
import { removeImport } from '../../main/engine/import/remove';
import {
  CODE_EXPRS,
  CODES_CHUNK,
  columnCodes,
  columnCodesUpto,
  dropColumnCodes,
  enableColumnCodes,
  MARK_EVERY,
  SMALL_CODE,
  stepColumnCodes,
} from '../../main/engine/query/column-codes';
import { compileWhere } from '../../main/engine/query/filter';
import { idSet } from '../../main/engine/query/match-ids';
import { isKept } from '../../main/engine/query/kept-sets';
import { adoptMatchIds, clearQueryCache, filterState, queryPage } from '../../main/engine/query/paging';
import { codesPage } from '../../main/engine/query/sort-codes';
import { resolveSort } from '../../main/engine/query/sql';
import { compareSqlValues } from '../../main/engine/query/sql-order';
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

/** The columns whose sort the codes serve (sender, Reference Job, Tenant, ..., To Domain). */
const CODED: ColumnId[] = COLUMN_IDS.filter((c) =>
  CODE_EXPRS.includes(resolveSort([{ column: c, dir: 'asc' }])[0].expr),
);

/** The order a person expects, spelled out independently of sql.ts. */
function bruteOrder(column: ColumnId, dir: SortDir): string {
  const d = dir === 'asc' ? 'ASC' : 'DESC';
  const expr =
    column === 'message_to_domain'
      ? `lower(${column})`
      : columnById(column).kind === 'time'
        ? `${column}_ms`
        : column;
  return `${expr} ${d}, id ${d}`;
}

/** The whole order of the filter's matches (sliced per page: one brute-force sort per column and dir). */
function bruteOrderIds(db: Database, filter: FilterModel, column: ColumnId, dir: SortDir): number[] {
  const where = compileWhere(filter);
  return db
    .prepare(`SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY ${bruteOrder(column, dir)}`)
    .pluck()
    .all(...where.params) as number[];
}

/**
 * Every coded column x dir x filter x page: from the codes (`coded`: the codes must answer, not
 * decline) or through queryPage (whatever path answers), against brute force.
 */
function checkAll(
  db: Database,
  label: string,
  coded: boolean,
  markEvery = MARK_EVERY,
  smallCode = SMALL_CODE,
): void {
  const total = db.prepare('SELECT count(*) FROM records').pluck().get() as number;
  let answered = 0;
  let declined = 0;
  // The SQL paths are query-sort-columns.test.ts' to check: here only that a decline still answers.
  for (const filter of coded ? FILTERS : FILTERS.slice(0, 2)) {
    // Once per filter: the codes path keeps the filter's id set for its later pages, as the grid's.
    clearQueryCache(db);
    for (const column of CODED) {
      // Filtered To Domain sorts are left to its index (sort-ids.ts) unless the filter's set is known
      // (handed over by the aggregate reader, shared-ids.ts): adopted here as the page reader does.
      if (
        coded &&
        column === 'message_to_domain' &&
        filter.q !== undefined &&
        !filterState(db, filter, undefined).ids
      ) {
        const set = bruteOrderIds(db, filter, 'creation_time', 'asc').sort((a, b) => a - b);
        adoptMatchIds(db, filter, idSet(Uint32Array.from(set)));
      }
      const served = coded;
      for (const dir of ['asc', 'desc'] as const) {
        const all = bruteOrderIds(db, filter, column, dir);
        const starts = [0, Math.floor(total / 6) - 50, Math.floor(total / 2), total - 60];
        for (const start of coded ? starts : starts.slice(0, 3)) {
          const req = { filter, sort: [{ column, dir }], startRow: start, endRow: start + 100 };
          const keys = resolveSort(req.sort);
          let ids = served
            ? codesPage(
                db,
                filter,
                keys,
                start,
                start + 100,
                filterState(db, filter, undefined),
                markEvery,
                smallCode,
              )?.map((r) => r.id)
            : queryPage(db, req).rows.map((r) => r.id);
          const where = `${label}: ${column} ${dir} from ${start}, filter ${JSON.stringify(filter)}`;
          if (served && ids === undefined) {
            // Only a broad filter's first rows, before its id set is known, are left to SQL.
            assert.ok(start < 1000, `${where}: the codes answer`);
            assert.ok(column !== 'message_to_domain', `${where}: the codes answer with the set known`);
            ids = queryPage(db, req).rows.map((r) => r.id);
            declined++;
          }
          assert.ok(ids !== undefined, where);
          assert.deepEqual(ids, all.slice(start, start + 100), where);
          if (served && ids !== undefined) answered++;
        }
      }
    }
  }
  // 10 columns x 2 dirs x 5 filters x 4 pages, less the broad filter's declined first pages.
  if (coded) assert.ok(answered - declined > 340, `${label}: ${answered - declined} pages from the codes`);
}

function loadAll(db: Database, chunk: number): number {
  let steps = 0;
  while (stepColumnCodes(db, chunk)) steps++;
  return steps + 1;
}

function maxId(db: Database): number {
  return db.prepare('SELECT max(id) FROM records').pluck().get() as number;
}

/** Values the generator never makes, several sorting between its own (tenant-a, CC0.., P0..). */
function addOddRows(db: Database): void {
  const odd: Record<string, string | number | null>[] = [
    { tenant: 'tenant-0', cost_center: 'CC10b', message_from: 'news@a.example', version: 'abc' },
    { tenant: '', cost_center: '', message_from: '', version: '' },
    { tenant: null, cost_center: null, message_from: null, version: null },
    { tenant: 'tenant-b', reference_job: 'ref-\u{1F600}', message_from: 'Z@b.example', version: 2.5 },
    { tenant: 'Tenant-A', reference_job: 'ref-\uE000', campaign_id: '10', version: '1' },
    {
      tenant: 'tenant-a',
      reference_job: 'ref-ü',
      campaign_id: 'campaign-0',
      version: 10,
      message_to_domain: 'WEB.de',
    },
  ];
  for (let round = 0; round < 3; round++)
    for (const rec of odd) insertRecord(db, { status: 'ERROR', message_to: 'jane.odd@x.example', ...rec });
}

test('sorts by the coded columns equal brute force: loaded, partly loaded, deltas, a removal', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 5);
    const big = path.join(w.dir, 'big.csv');
    writeFileSync(
      big,
      toCsv(generateRows({ rows: CODES_CHUNK + 500, seed: 9, startMs: Date.UTC(2026, 10, 1) })),
    );
    await importFiles(w.db, [a]);
    await importFiles(w.db, [b]);
    await importFiles(w.db, [big]);
    // Not enabled: nothing is kept (the CLI's and the aggregate reader's connections).
    assert.equal(stepColumnCodes(w.db), false);
    assert.equal(columnCodes(w.db, 'tenant'), null);
    enableColumnCodes(w.db);

    // Partly loaded, more than a step behind: pages decline to the SQL paths and load nothing.
    stepColumnCodes(w.db, 5000);
    const upto = columnCodesUpto(w.db);
    assert.ok(maxId(w.db) - upto > CODES_CHUNK);
    assert.equal(
      inRead(w.db, () => columnCodes(w.db, 'tenant')),
      null,
    );
    checkAll(w.db, 'partly loaded', false);
    assert.equal(columnCodesUpto(w.db), upto, 'pages did not load a delta above one step');

    assert.ok(loadAll(w.db, 3000) > 3, 'loaded in several steps');
    assert.equal(columnCodesUpto(w.db), maxId(w.db));
    checkAll(w.db, 'loaded', true);
    // A broad filter's first page waits for its id set only once a deeper page has found it; one of
    // coded columns only finds it from the codes at once (codes-ids.ts).
    clearQueryCache(w.db);
    const tenant = resolveSort([{ column: 'tenant', dir: 'asc' }]);
    const coded = { q: '-region:DE1' };
    assert.notEqual(
      codesPage(w.db, coded, tenant, 0, 100, filterState(w.db, coded, undefined)),
      null,
      'broad filter of coded columns: its set from the codes',
    );
    const broad = { q: '-smtp:550' };
    const broadPage = (start: number): unknown =>
      codesPage(w.db, broad, tenant, start, start + 100, filterState(w.db, broad, undefined));
    // Its first page is probed from the first records in the sort's order (code-probe.ts).
    assert.notEqual(broadPage(0), null, 'broad filter, id set unknown: probed');
    assert.equal(isKept(w.db, filterState(w.db, broad, undefined)), false, 'without finding its set');
    assert.equal(broadPage(950), null, 'a page ending past the probed rows, id set unknown: SQL');
    assert.notEqual(broadPage(5000), null, 'a deeper page finds the id set');
    assert.notEqual(broadPage(0), null, 'then the first page is read from the codes');
    checkToDomainDeep(w.db);
    // Deep pages start their scan at a marked record of the code: marks close together, and odd.
    checkAll(w.db, 'loaded, a mark every 7th record', true, 7);
    checkAll(w.db, 'loaded, a mark every 1000th record', true, 1000);
    // No code small (every window scanned, jumping between picks), and every code small (slices).
    checkAll(w.db, 'loaded, no small codes, a mark every 300th', true, 300, 0);
    checkAll(w.db, 'loaded, every code small', true, MARK_EVERY, 1_000_000);

    // A delta within a step is loaded by the request: new values in the middle, NULL, '', mixed types.
    addOddRows(w.db);
    assert.ok(columnCodesUpto(w.db) < maxId(w.db));
    checkAll(w.db, 'odd values loaded on', true);
    assert.equal(columnCodesUpto(w.db), maxId(w.db));

    // A removal bumps the records generation: the codes are dropped and loaded again.
    await removeImport(w.db, 1, new AbortController().signal);
    assert.equal(
      inRead(w.db, () => columnCodes(w.db, 'tenant')),
      null,
    );
    checkAll(w.db, 'removed, not reloaded', false);
    loadAll(w.db, 5000);
    checkAll(w.db, 'removed, reloaded', true);
    dropColumnCodes(w.db);
    assert.equal(columnCodesUpto(w.db), 0);
  } finally {
    w.cleanup();
  }
});

/**
 * A filtered To Domain sort whose set neither the search nor the codes give (a free word): its first
 * rows are left to the index (sort-ids.ts), a deeper page is read from the codes, finding the set, as
 * the other coded columns' deeper pages are (the walk along records_to_domain testing the set passed
 * ~8 entries a match: 5M, `jane` desc at row 9 950, 132-187 ms of CPU); a broad word's too (1M,
 * `-jane`: 674-685 ms of CPU walked, 283-341 from the codes).
 */
function checkToDomainDeep(db: Database): void {
  const keysOf = (dir: SortDir): ReturnType<typeof resolveSort> =>
    resolveSort([{ column: 'message_to_domain', dir }]);
  let deep = 0;
  for (const filter of [{ q: 'jane' }, { q: 'jane region:DE1' }, { q: 'jane -status:error' }]) {
    for (const dir of ['asc', 'desc'] as const) {
      clearQueryCache(db);
      const all = bruteOrderIds(db, filter, 'message_to_domain', dir);
      // Counted without finding the set, as a word's count at 5M is (count-paths.ts).
      filterState(db, filter, undefined).count = all.length;
      assert.ok(all.length * 5 <= maxId(db), `${filter.q}: selective`);
      const state = (): { ids?: unknown } => filterState(db, filter, undefined);
      const page = (start: number): number[] | undefined =>
        codesPage(db, filter, keysOf(dir), start, start + 100, filterState(db, filter, undefined))?.map(
          (r) => r.id,
        );
      const where = `To Domain ${dir}, ${filter.q}`;
      assert.equal(page(0), undefined, `${where}: a first page without the set is the index's`);
      for (const start of [1000, Math.floor(all.length / 2), all.length - 60]) {
        if (start < 1000) continue;
        assert.equal(state().ids, undefined, `${where}: not the search's set`);
        assert.deepEqual(page(start), all.slice(start, start + 100), `${where} from ${start}`);
        deep++;
      }
      // The set found is kept for the search's next pages, first rows included.
      assert.deepEqual(page(0), all.slice(0, 100), `${where}: first page once the set is kept`);
      const req = { filter, sort: [{ column: 'message_to_domain' as const, dir }] };
      assert.deepEqual(
        queryPage(db, { ...req, startRow: 1050, endRow: 1150 }).rows.map((r) => r.id),
        all.slice(1050, 1150),
        `${where}: through queryPage`,
      );
    }
  }
  assert.ok(deep >= 6, `deep pages checked: ${deep}`);
  // A broad word: its deeper page from the codes too.
  const broad = { q: '-jane' };
  clearQueryCache(db);
  const broadAll = bruteOrderIds(db, broad, 'message_to_domain', 'desc');
  filterState(db, broad, undefined).count = broadAll.length;
  assert.ok(broadAll.length * 5 > maxId(db));
  const keys = keysOf('desc');
  assert.deepEqual(
    codesPage(db, broad, keys, 2000, 2100, filterState(db, broad, undefined))?.map((r) => r.id),
    broadAll.slice(2000, 2100),
    'broad word from the codes',
  );
  assert.deepEqual(
    queryPage(db, {
      filter: broad,
      sort: [{ column: 'message_to_domain', dir: 'desc' }],
      startRow: 2000,
      endRow: 2100,
    }).rows.map((r) => r.id),
    broadAll.slice(2000, 2100),
    'broad word through queryPage (the set kept)',
  );
}

/** Runs `f` in one read transaction, as the page does. */
function inRead<T>(conn: Database, f: () => T): T {
  return conn.transaction(f)();
}

test('values compare as SQLite orders them: NULL, numbers, text by code point', () => {
  const values = ['b', 'a', '', null, 10, 2.5, '10', '\u{1F600}', '\uE000', 'ü', 'Z', -1];
  const sorted = [...values].sort(compareSqlValues);
  assert.deepEqual(sorted, [null, -1, 2.5, 10, '', '10', 'Z', 'a', 'b', 'ü', '\uE000', '\u{1F600}']);
});
