/**
 * Unfiltered pages sorted by status, substatus and status details from the marks (status-marks.ts)
 * give the rows a brute-force ORDER BY (column, creation_time_ms, id) gives: each column x both
 * directions x first, mark-boundary, value-boundary, middle and last pages, with NULL and '' values,
 * records without a time (NULL sorts first within a value) and rows tied in time; while the marks
 * are partly built (declined: the OFFSET path answers), after an append and after an import was
 * removed (declined until built again).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import type { ColumnId } from '../../common/columns';
import type { SortDir } from '../../common/contract';
import { removeImport } from '../../main/engine/import/remove';
import { clearQueryCache, queryPage } from '../../main/engine/query/paging';
import { resolveSort } from '../../main/engine/query/sql';
import {
  enableStatusMarks,
  markedPageIds,
  statusMarksReady,
  stepStatusMarks,
} from '../../main/engine/query/status-marks';
import { importFiles, workspace } from './import-fixture';
import { insertRecord } from './query-fixture';
import { writeCaseExports } from './summary-brute';

const COLUMNS: ColumnId[] = ['status', 'substatus', 'status_details'];

function bruteIds(db: Database, column: ColumnId, dir: SortDir): number[] {
  const d = dir === 'asc' ? 'ASC' : 'DESC';
  return db
    .prepare(`SELECT id FROM records NOT INDEXED ORDER BY ${column} ${d}, creation_time_ms ${d}, id ${d}`)
    .pluck()
    .all() as number[];
}

/** Rows where a value changes in the brute order, and the rows around them. */
function boundaries(db: Database, column: ColumnId, dir: SortDir): number[] {
  const d = dir === 'asc' ? 'ASC' : 'DESC';
  const vals = db
    .prepare(
      `SELECT ${column} FROM records NOT INDEXED ORDER BY ${column} ${d}, creation_time_ms ${d}, id ${d}`,
    )
    .pluck()
    .all();
  const out: number[] = [];
  for (let i = 1; i < vals.length; i++) if (vals[i] !== vals[i - 1]) out.push(Math.max(0, i - 3), i);
  return out.slice(0, 12);
}

/**
 * Every column x dir x start against brute force, through markedPageIds (when `served`, it must
 * answer) and through queryPage (whatever path answers). Returns the pages the marks answered.
 */
function checkAll(db: Database, label: string, every: number, served: boolean): number {
  let marked = 0;
  for (const column of COLUMNS)
    for (const dir of ['asc', 'desc'] as const) {
      const all = bruteIds(db, column, dir);
      const n = all.length;
      const starts = [0, 1, every - 1, every, 3 * every + 2, Math.floor(n / 2), n - 60, n - 1];
      for (const start of [...starts, ...boundaries(db, column, dir)]) {
        const sort = [{ column, dir }];
        const where = `${label}: ${column} ${dir} from ${start}`;
        const ids = db.transaction(() => markedPageIds(db, resolveSort(sort), start, start + 100))();
        if (ids !== null) {
          marked++;
          assert.deepEqual(ids, all.slice(start, start + 100), `${where} (marks)`);
        } else assert.ok(!served, `${where}: the marks answer once built`);
        clearQueryCache(db);
        const page = queryPage(db, { filter: {}, sort, startRow: start, endRow: start + 100 });
        assert.deepEqual(
          page.rows.map((r) => r.id),
          all.slice(start, start + 100),
          `${where} (queryPage)`,
        );
      }
    }
  return marked;
}

function buildAll(db: Database, every: number): number {
  let steps = 1;
  while (stepStatusMarks(db, every, 0)) steps++;
  return steps;
}

/** NULL and '' values, records without a time (several per mark), rows tied in time. */
function addOddRows(db: Database): void {
  const time = db.prepare('SELECT creation_time FROM records WHERE id = 100').pluck().get() as string;
  const odd: Record<string, string | null>[] = [
    { status: null, substatus: null, status_details: null },
    { status: '', substatus: '', status_details: '' },
    { status: 'error', substatus: 'hard_bounce', status_details: 'm_between' },
  ];
  for (let round = 0; round < 12; round++)
    for (const rec of odd)
      insertRecord(db, {
        message_to: 'jane.tie@web.de',
        // A third without a time, a third tied with a generated row, the rest later.
        creation_time: round % 3 === 0 ? null : round % 3 === 1 ? time : '2026-10-30T10:00:00.000Z',
        ...rec,
      });
}

test('unfiltered status sorts from the marks equal brute force: NULLs, ties, partly built, append, removal', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 12);
    await importFiles(w.db, [a]);
    addOddRows(w.db);
    const every = 5;
    // Not enabled (the CLI's connection): no marks, the OFFSET path answers.
    assert.equal(stepStatusMarks(w.db, every, 0), false);
    assert.equal(checkAll(w.db, 'not enabled', every, false), 0);

    enableStatusMarks(w.db);
    // Partly built: the first column may be done, the others decline.
    for (let i = 0; i < 30; i++) stepStatusMarks(w.db, every, 0);
    assert.equal(statusMarksReady(w.db, 'status_details'), false);
    checkAll(w.db, 'partly built', every, false);
    assert.ok(buildAll(w.db, every) > 100, 'marks are built in many small steps');
    const pages = checkAll(w.db, 'built', every, true);
    assert.ok(pages > 6 * 10, `the marks answered ${pages} pages`);
    // A larger spacing: windows crossing marks and values.
    buildAll(w.db, 64);
    checkAll(w.db, 'every 64', 64, true);

    // An append (a second import and a hand-made record): stale, declined, then built again.
    await importFiles(w.db, [b]);
    insertRecord(w.db, { status: 'error', substatus: 'a', status_details: '' });
    assert.equal(statusMarksReady(w.db, 'status'), false);
    assert.equal(checkAll(w.db, 'appended', every, false), 0);
    buildAll(w.db, every);
    checkAll(w.db, 'appended, rebuilt', every, true);

    await removeImport(w.db, 1, new AbortController().signal);
    assert.equal(statusMarksReady(w.db, 'status'), false, 'a removal leaves the marks stale');
    assert.equal(checkAll(w.db, 'removed', every, false), 0);
    buildAll(w.db, every);
    checkAll(w.db, 'removed, rebuilt', every, true);
  } finally {
    w.cleanup();
  }
});
