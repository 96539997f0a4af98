/**
 * Filtered sorts by status, substatus and status details (a time tie-break: resolveSort) read from
 * the value codes and the columns' (column, time) indexes (status-page.ts) give the rows a
 * brute-force ORDER BY gives: each column x both directions x filters x first, boundary, middle and
 * last pages, through the index walk and through the id lookup; with ties in time, NULL and '' values
 * and a value new to the codes loaded on by the request, and after an import was removed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import type { ColumnId } from '../../common/columns';
import type { FilterModel, SortDir } from '../../common/contract';
import { removeImport } from '../../main/engine/import/remove';
import { columnCodes, enableColumnCodes, stepColumnCodes } from '../../main/engine/query/column-codes';
import { compileWhere } from '../../main/engine/query/filter';
import { findMatchIds } from '../../main/engine/query/match-ids';
import { adoptMatchIds, clearQueryCache, filterState, queryPage } from '../../main/engine/query/paging';
import { resolveSort } from '../../main/engine/query/sql';
import { statusPage } from '../../main/engine/query/status-page';
import { importFiles, workspace } from './import-fixture';
import { insertRecord } from './query-fixture';
import { writeCaseExports } from './summary-brute';

const FILTERS: FilterModel[] = [
  { q: 'status:error' },
  { q: 'jane' },
  { q: 'after:2026-10-25' },
  { q: '-region:DE1 interface:rest' },
  { q: 'domain:web.de' },
  { q: '-status:error' },
];

const COLUMNS: ColumnId[] = ['status', 'substatus', 'status_details'];

/** The order a person expects: the column, then newest (or oldest) first, then the id. */
function bruteIds(db: Database, filter: FilterModel, column: ColumnId, dir: SortDir): number[] {
  const where = compileWhere(filter);
  const d = dir === 'asc' ? 'ASC' : 'DESC';
  return db
    .prepare(
      `SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY ${column} ${d}, creation_time_ms ${d}, id ${d}`,
    )
    .pluck()
    .all(...where.params) as number[];
}

/** Every column x dir x filter x page against brute force; `served`: the pages status-page.ts answered. */
function checkAll(
  db: Database,
  label: string,
  walkPerLookup: number,
  expectServed: boolean,
  adopt = false,
): number {
  let served = 0;
  for (const filter of FILTERS) {
    clearQueryCache(db);
    // As the app's page reader: the set handed over by the aggregate reader (shared-ids.ts).
    const found = adopt ? findMatchIds(db, filter, Number.MAX_SAFE_INTEGER) : null;
    if (found !== null) adoptMatchIds(db, filter, found);
    for (const column of COLUMNS)
      for (const dir of ['asc', 'desc'] as const) {
        const all = bruteIds(db, filter, column, dir);
        const n = all.length;
        assert.ok(n > 200, `${label}: ${JSON.stringify(filter)} matches enough rows (${n})`);
        for (const start of [0, Math.max(1, Math.floor(n / 6) - 50), Math.floor(n / 2), n - 60]) {
          const sort = [{ column, dir }];
          const where = `${label}: ${column} ${dir} from ${start}, filter ${JSON.stringify(filter)}`;
          const page = statusPage(
            db,
            filter,
            resolveSort(sort),
            start,
            start + 100,
            filterState(db, filter, undefined),
            walkPerLookup,
          );
          if (page !== null) served++;
          else if (expectServed)
            assert.ok(start < 1000, `${where}: only a broad filter's first rows decline`);
          const ids = (
            page ?? queryPage(db, { filter, sort, startRow: start, endRow: start + 100 }).rows
          ).map((r) => r.id);
          assert.deepEqual(ids, all.slice(start, start + 100), where);
        }
      }
  }
  return served;
}

function loadAll(db: Database): void {
  while (stepColumnCodes(db, 4000));
}

/** Rows tied in time with each other and with generated rows, rows without a time, NULL and '' and a value sorting between. */
function addOddRows(db: Database): void {
  const time = db.prepare('SELECT creation_time FROM records WHERE id = 100').pluck().get() as string;
  const odd: Record<string, string | null>[] = [
    { status: null, substatus: null, status_details: null },
    { status: '', substatus: '', status_details: '' },
    { status: 'error', substatus: 'hard_bounce', status_details: 'm_between' },
    { status: 'fz-new', substatus: 'a', status_details: 'soft_bounce' },
  ];
  // Round 4 without a time: first ascending, last descending (hour-order.ts).
  for (let round = 0; round < 5; round++)
    for (const rec of odd)
      insertRecord(db, {
        message_to: 'jane.tie@web.de',
        message_to_domain: 'web.de',
        creation_time: round < 3 ? time : round === 3 ? '2026-10-30T10:00:00.000Z' : null,
        entry_interface: 'rest',
        ...rec,
      });
}

test('filtered sorts by the status columns equal brute force: walk, lookup, ties, deltas, a removal', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 11);
    await importFiles(w.db, [a]);
    await importFiles(w.db, [b]);
    // Codes not enabled (the CLI's connection): declined, the SQL paths answer.
    assert.equal(checkAll(w.db, 'no codes', 10, false), 0);
    enableColumnCodes(w.db);
    loadAll(w.db);
    const total = 6 * 3 * 2 * 4;
    for (const [label, k] of [
      ['chosen', 10],
      ['always walk', Infinity],
      ['always look up', 0],
    ] as const)
      assert.ok(checkAll(w.db, label, k, true) > total - 20, `${label}: answered by status-page.ts`);
    // With the set adopted, even a broad filter's first page is answered here.
    assert.equal(checkAll(w.db, 'adopted set', 10, true, true), total);

    addOddRows(w.db);
    assert.ok(checkAll(w.db, 'odd rows loaded on, walk', Infinity, true) > total - 20);
    assert.ok(checkAll(w.db, 'odd rows loaded on, look up', 0, true) > total - 20);

    await removeImport(w.db, 1, new AbortController().signal);
    assert.equal(w.db.transaction(() => columnCodes(w.db, 'status'))(), null, 'a removal drops the codes');
    assert.equal(checkAll(w.db, 'removed, not reloaded', 10, false), 0);
    loadAll(w.db);
    assert.ok(checkAll(w.db, 'removed, reloaded', 10, true) > total - 20);
  } finally {
    w.cleanup();
  }
});
