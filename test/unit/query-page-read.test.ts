/**
 * A deeper page by a coded column (value codes, unique columns' bucket codes) reads the records of its
 * own rows only: the rows page-ahead.ts keeps for the next pages are ids (page-read.ts). Checked by
 * counting the records the page's statements return, and every page against a brute-force ORDER BY:
 * random columns, directions, filters and rows (fast-check), the page after it (from the kept ids),
 * a page near the end (its count), after an append loaded on (mixed-case domains, NULL, '') and after
 * an import was removed (codes dropped: SQL, then reloaded).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database, Statement } from 'better-sqlite3';
import fc from 'fast-check';
import { COLUMN_IDS, columnById, type ColumnId } from '../../common/columns';
import type { FilterModel, SortDir } from '../../common/contract';
import { removeImport } from '../../main/engine/import/remove';
import { CODE_EXPRS, enableColumnCodes, stepColumnCodes } from '../../main/engine/query/column-codes';
import { compileWhere } from '../../main/engine/query/filter';
import { clearQueryCache, queryPage } from '../../main/engine/query/paging';
import { RECORD_SELECT, resolveSort } from '../../main/engine/query/sql';
import { enableUniqueCodes, stepUniqueCodes, UNIQUE_EXPRS } from '../../main/engine/query/unique-codes';
import { importFiles, workspace } from './import-fixture';
import { insertRecord } from './query-fixture';
import { writeCaseExports } from './summary-brute';

/** The columns whose sorts the codes serve (To Domain filtered only with its set at hand: left out). */
const CODED: ColumnId[] = COLUMN_IDS.filter((c) => {
  const expr = resolveSort([{ column: c, dir: 'asc' }])[0].expr;
  return CODE_EXPRS.includes(expr) || UNIQUE_EXPRS.includes(expr);
});

/** Unfiltered, and filters whose deeper pages the codes serve from the filter's id set. */
const FILTERS: FilterModel[] = [{}, { q: 'status:error' }, { q: '-region:DE1 interface:rest' }];

function bruteIds(db: Database, filter: FilterModel, column: ColumnId, dir: SortDir): number[] {
  const d = dir === 'asc' ? 'ASC' : 'DESC';
  const expr =
    column === 'message_to_domain' || column === 'message_to'
      ? `lower(${column})`
      : columnById(column).kind === 'time'
        ? `${column}_ms`
        : column;
  const where = compileWhere(filter);
  return db
    .prepare(`SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY ${expr} ${d}, id ${d}`)
    .pluck()
    .all(...where.params) as number[];
}

/** Counts the records the statements selecting whole records return while `f` runs. */
function recordsRead<T>(db: Database, f: () => T): { value: T; read: number } {
  const prepare = db.prepare.bind(db);
  let read = 0;
  db.prepare = ((sql: string): Statement => {
    const st = prepare(sql);
    if (!sql.includes(RECORD_SELECT)) return st;
    const all = st.all.bind(st);
    st.all = (...params: unknown[]): unknown[] => {
      const rows = all(...params);
      read += rows.length;
      return rows;
    };
    return st;
  }) as typeof db.prepare;
  try {
    return { value: f(), read };
  } finally {
    // The own property shadowed the prototype's method: gone, the connection prepares as before.
    Reflect.deleteProperty(db, 'prepare');
  }
}

/** The page at `start` and the one after it equal brute force; `lean`: each read its own rows only. */
function checkPage(
  db: Database,
  filter: FilterModel,
  column: ColumnId,
  dir: SortDir,
  start: number,
  lean: boolean,
): void {
  clearQueryCache(db);
  const all = bruteIds(db, filter, column, dir);
  const at = Math.min(start, Math.max(0, all.length - 1));
  const where = `${column} ${dir} from ${at}, filter ${JSON.stringify(filter)}, lean ${lean}`;
  for (const from of [at, at + 100]) {
    const req = { filter, sort: [{ column, dir }], startRow: from, endRow: from + 100 };
    const { value: page, read } = recordsRead(db, () => queryPage(db, req));
    const want = all.slice(from, from + 100);
    assert.deepEqual(
      page.rows.map((r) => r.id),
      want,
      `${where}: rows from ${from}`,
    );
    if (lean) assert.equal(read, want.length, `${where}: records read from ${from}`);
    // A short page tells the grid where the end is.
    if (want.length > 0 && want.length < 100) assert.equal(page.lastRow, all.length, `${where}: lastRow`);
  }
}

function loadCodes(db: Database): void {
  while (stepColumnCodes(db));
  while (stepUniqueCodes(db));
}

/** Random coded pages past the first thousand rows (the codes serve those whatever the filter). */
function checkRandom(db: Database, lean: boolean, runs: number): void {
  const total = db.prepare('SELECT count(*) FROM records').pluck().get() as number;
  fc.assert(
    fc.property(
      fc.constantFrom(...CODED),
      fc.constantFrom<SortDir>('asc', 'desc'),
      fc.constantFrom(...FILTERS),
      fc.integer({ min: 1000, max: total }),
      (column, dir, filter, start) => {
        const domainFiltered = column === 'message_to_domain' && filter.q !== undefined;
        checkPage(db, filter, column, dir, start, lean && !domainFiltered);
      },
    ),
    { numRuns: runs, seed: 15 },
  );
}

test('deeper pages by a coded column read their own records only, and equal brute force', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 5);
    await importFiles(w.db, [a]);
    await importFiles(w.db, [b]);
    enableColumnCodes(w.db);
    enableUniqueCodes(w.db);
    loadCodes(w.db);
    const total = w.db.prepare('SELECT count(*) FROM records').pluck().get() as number;
    // Every coded column x dir unfiltered, at the middle and near the end (a short page: its count).
    for (const column of CODED)
      for (const dir of ['asc', 'desc'] as const)
        for (const start of [Math.floor(total / 2), total - 60])
          checkPage(w.db, {}, column, dir, start, true);
    checkRandom(w.db, true, 120);

    // An append loaded on by the request: domains equal but for case, NULL and ''.
    for (const domain of ['WEB.de', 'web.DE', '', null, 'Gmx.net', 'a.example'])
      for (let k = 0; k < 3; k++)
        insertRecord(w.db, { status: 'ERROR', message_to_domain: domain, tenant: domain });
    for (const dir of ['asc', 'desc'] as const)
      for (const column of ['message_to_domain', 'tenant'] as const)
        checkPage(w.db, {}, column, dir, Math.floor(total / 3), true);
    checkRandom(w.db, true, 40);

    // A removal drops the codes (new generation): the SQL paths answer, exact, until reloaded.
    await removeImport(w.db, 1, new AbortController().signal);
    checkPage(w.db, {}, 'message_to_domain', 'asc', 1500, false);
    checkPage(w.db, {}, 'tenant', 'desc', 1500, false);
    loadCodes(w.db);
    checkRandom(w.db, true, 40);
  } finally {
    w.cleanup();
  }
});
