/**
 * Sorted pages over the partial grid indexes (issue 11) with a delta above their bound: the probe of
 * an index's first entries plus the delta (probe-sides.ts) gives the rows a brute-force ORDER BY gives
 * or declines; pages a user scrolls on to are slices of what a deeper page read ahead
 * (page-ahead.ts), and an append or a removal in between is seen, never the kept rows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { columnById, type ColumnId } from '../../common/columns';
import type { FilterModel, SortDir } from '../../common/contract';
import { removeImport } from '../../main/engine/import/remove';
import { compileWhere } from '../../main/engine/query/filter';
import { findMatchIds } from '../../main/engine/query/match-ids';
import { scanIds } from '../../main/engine/query/ids-scan';
import { GRID_PARTIAL } from '../../main/engine/query/grid-partial';
import { clearQueryCache, queryPage } from '../../main/engine/query/paging';
import { pagesServedAhead } from '../../main/engine/query/page-ahead';
import { partialIndexSql } from '../../main/engine/query/partial-index';
import { probeSides } from '../../main/engine/query/probe-sides';
import { resolveSort } from '../../main/engine/query/sql';
import { importFiles, workspace } from './import-fixture';
import { insertRecord, tempWorkspace } from './query-fixture';
import { writeCaseExports } from './summary-brute';

const FILTERS: FilterModel[] = [
  { q: 'status:error' },
  { q: '-status:error' },
  { q: 'domain:web.de' },
  { q: 'jane' },
  { q: 'after:2026-10-20' },
  { q: 'status:error region:DE1 -interface:smtp' },
];

/** The columns the partial indexes order, and every column whose deeper pages read ahead. */
const PARTIAL_COLUMNS: ColumnId[] = [
  'message_to',
  'message_to_domain',
  'correlation_id',
  'smtp_status_code',
  'usage_id',
];
const SCROLL_COLUMNS: ColumnId[] = [
  ...PARTIAL_COLUMNS,
  'creation_time',
  'status',
  'substatus',
  'status_details',
  'message_size',
  'job_id',
  'processing_region',
  'entry_interface',
];

/** The order a person expects, spelled out independently of sql.ts. */
function bruteIds(db: Database, filter: FilterModel, column: ColumnId, dir: SortDir): number[] {
  const d = dir === 'asc' ? 'ASC' : 'DESC';
  const expr =
    column === 'message_to' || column === 'message_to_domain'
      ? `lower(${column})`
      : columnById(column).kind === 'time'
        ? `${column}_ms`
        : column;
  const time = ['status', 'substatus', 'status_details'].includes(column) ? `, creation_time_ms ${d}` : '';
  const where = compileWhere(filter);
  return db
    .prepare(`SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY ${expr} ${d}${time}, id ${d}`)
    .pluck()
    .all(...where.params) as number[];
}

/** Rebuilds every partial grid index up to `upto`: the records above it are the delta. */
function partialAt(db: Database, upto: number): void {
  for (const def of GRID_PARTIAL) {
    db.exec(`DROP INDEX IF EXISTS ${def.name}`);
    db.exec(partialIndexSql(def, upto));
  }
}

/** Records that tie, hold NULL or empty values in the partial columns, and match the filters. */
function addOddMatches(db: Database, tag: string): void {
  for (let i = 0; i < 6; i++) {
    insertRecord(db, {
      message_to: i % 2 === 0 ? `aaa.jane.${tag}@web.de` : `ZZZ.JANE.${tag}@WEB.DE`,
      message_to_domain: i % 2 === 0 ? 'web.de' : 'WEB.DE',
      status: i < 3 ? 'ERROR' : 'OK',
      processing_region: 'DE1',
      entry_interface: 'REST',
      creation_time: '2026-10-25 00:00:00',
      correlation_id: i === 0 ? null : i === 1 ? '' : 'tie',
      smtp_status_code: i === 2 ? null : i === 3 ? '' : '550 5.1.1 tie',
      usage_id: i === 4 ? null : i === 5 ? '' : 'u-tie',
    });
  }
}

async function partialCase(seed: number): Promise<{ db: Database; cleanup: () => void }> {
  const w = workspace();
  const [a, b] = writeCaseExports(w.dir, seed);
  await importFiles(w.db, [a]);
  await importFiles(w.db, [b]);
  const max = w.db.prepare('SELECT max(id) FROM records').pluck().get() as number;
  // A bound in the middle: the second import is a delta of a third of the case.
  partialAt(w.db, Math.floor(max * 0.7));
  addOddMatches(w.db, 'a');
  return w;
}

/** An index's columns as created (the walk reads records_to_domain's spelling column). */
function colsOf(db: Database, name: string): string {
  const sql = db
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
    .pluck()
    .get(name) as string;
  const head = sql.replace(/\s+/g, ' ').replace(/ WHERE .*$/i, '');
  return /ON records ?\((.*)\)$/.exec(head)?.[1] ?? '';
}

test('the probe of a partial index and its delta answers as a brute-force ORDER BY, or declines', async () => {
  const w = await partialCase(11);
  try {
    let found = 0;
    let declined = 0;
    for (const column of PARTIAL_COLUMNS) {
      for (const filter of FILTERS) {
        for (const dir of ['asc', 'desc'] as const) {
          const all = bruteIds(w.db, filter, column, dir);
          const keys = resolveSort([{ column, dir }]);
          for (const probe of [50, 800, 20_000]) {
            for (const start of [0, 100]) {
              const got = probeSides(w.db, compileWhere(filter), keys, start, start + 100, probe);
              assert.ok(got !== null, `${column} has a partial index`);
              if (got.page === null) {
                declined++;
                continue;
              }
              found++;
              assert.deepEqual(
                got.page,
                all.slice(start, start + 100),
                `${column} ${dir} probe ${probe} from ${start}, ${JSON.stringify(filter)}`,
              );
            }
          }
        }
      }
    }
    assert.ok(found > 0 && declined > 0, `both outcomes seen (${found} found, ${declined} declined)`);
    // A column without a partial index is not this probe's.
    assert.equal(
      probeSides(
        w.db,
        compileWhere({ q: 'jane' }),
        resolveSort([{ column: 'job_id', dir: 'asc' }]),
        0,
        100,
        800,
      ),
      null,
    );
  } finally {
    w.cleanup();
  }
});

/** Pages s, s+100, ... as a user scrolls on from a jump, each against the brute-force order. */
function scroll(db: Database, filter: FilterModel, column: ColumnId, dir: SortDir, label: string): void {
  const all = bruteIds(db, filter, column, dir);
  const jump = Math.max(0, Math.min(1500, all.length - 350));
  for (const start of [0, jump, jump + 100, jump + 200, jump + 500, jump + 600, 100]) {
    const got = queryPage(db, { filter, sort: [{ column, dir }], startRow: start, endRow: start + 100 });
    assert.deepEqual(
      got.rows.map((r) => r.id),
      all.slice(start, start + 100),
      `${label}: ${column} ${dir} from ${start} of ${all.length}, ${JSON.stringify(filter)}`,
    );
  }
}

test('pages after a deeper one are its read-ahead rows, and a change in between is seen', async () => {
  const w = await partialCase(12);
  try {
    const before = pagesServedAhead();
    for (const filter of FILTERS) {
      for (const column of SCROLL_COLUMNS) {
        for (const dir of ['asc', 'desc'] as const) {
          clearQueryCache(w.db);
          scroll(w.db, filter, column, dir, 'partial');
        }
      }
    }
    assert.ok(pagesServedAhead() > before, 'some pages were slices of a deeper page read ahead');
    // Served a deeper page (reading ahead), then records change: the next page must show the change.
    for (const column of SCROLL_COLUMNS) {
      const filter = { q: 'jane' };
      const sort = [{ column, dir: 'asc' as const }];
      clearQueryCache(w.db);
      queryPage(w.db, { filter, sort, startRow: 100, endRow: 200 });
      addOddMatches(w.db, column);
      const after = queryPage(w.db, { filter, sort, startRow: 200, endRow: 300 });
      assert.deepEqual(
        after.rows.map((r) => r.id),
        bruteIds(w.db, filter, column, 'asc').slice(200, 300),
        `${column}: the page after an append`,
      );
    }
    // The same after a removal: every sort has served a deeper page, then an import goes.
    const filter = { q: 'jane' };
    for (const column of SCROLL_COLUMNS)
      queryPage(w.db, { filter, sort: [{ column, dir: 'desc' }], startRow: 100, endRow: 200 });
    await removeImport(w.db, 1, new AbortController().signal);
    for (const column of SCROLL_COLUMNS) {
      const removed = queryPage(w.db, {
        filter,
        sort: [{ column, dir: 'desc' }],
        startRow: 200,
        endRow: 300,
      });
      assert.deepEqual(
        removed.rows.map((r) => r.id),
        bruteIds(w.db, filter, column, 'desc').slice(200, 300),
        `${column}: the page after a removal`,
      );
    }
  } finally {
    w.cleanup();
  }
});

test('a key group the probe cuts counts only where the index yields it in id order', () => {
  const w = tempWorkspace();
  try {
    // Three records per key, entered newest first: records_to and records_correlation hold time after
    // the key, so a key's entries come in the reverse of id order; records_to_domain holds the spelling
    // after the lower-case key, so 'WEB.DE' entries come before 'web.de' ones whatever their ids.
    for (const key of ['a', 'b', 'c']) {
      for (let i = 0; i < 3; i++) {
        insertRecord(w.db, {
          message_to: `${key}@x.de`,
          message_to_domain: i === 1 ? `${key}.DE` : `${key}.de`,
          correlation_id: key,
          creation_time: `2026-10-0${5 - i} 00:00:00`,
        });
      }
    }
    const max = w.db.prepare('SELECT max(id) FROM records').pluck().get() as number;
    partialAt(w.db, max - 1);
    let found = 0;
    for (const column of ['message_to', 'message_to_domain', 'correlation_id'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const all = bruteIds(w.db, {}, column, dir);
        for (let probe = 1; probe <= 9; probe++) {
          for (let end = 1; end <= 4; end++) {
            const got = probeSides(w.db, compileWhere({}), resolveSort([{ column, dir }]), 0, end, probe);
            if (got?.page == null) continue;
            found++;
            assert.deepEqual(got.page, all.slice(0, end), `${column} ${dir} probe ${probe} to ${end}`);
          }
        }
      }
    }
    assert.ok(found > 0, 'some cut probes answered');
    // The walk restricted to the ids stops only once the key group of the page's last row is whole.
    const every = w.db.prepare('SELECT id FROM records ORDER BY id').pluck().all() as number[];
    const ids = { json: JSON.stringify(every), count: every.length, list: Uint32Array.from(every) };
    for (const [column, name] of [
      ['message_to', 'records_to'],
      ['message_to_domain', 'records_to_domain'],
      ['correlation_id', 'records_correlation'],
    ] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const all = bruteIds(w.db, {}, column, dir);
        for (let end = 1; end <= 8; end++) {
          const index = { name, exact: false, upto: max - 1, cols: colsOf(w.db, name) };
          const got = scanIds(w.db, index, ids, resolveSort([{ column, dir }]), 0, end);
          assert.deepEqual(got, all.slice(0, end), `walk ${name} ${dir} to ${end}`);
        }
      }
    }
  } finally {
    w.close();
  }
});

test('a walk along an index restricted to the id set pages as a brute-force ORDER BY', async () => {
  const w = await partialCase(13);
  try {
    const indexes: [ColumnId, string, boolean, boolean][] = [
      ['message_to', 'records_to', false, true],
      ['message_to_domain', 'records_to_domain', false, true],
      ['correlation_id', 'records_correlation', false, true],
      ['smtp_status_code', 'records_smtp', true, true],
      ['usage_id', 'records_usage', true, true],
      ['job_id', 'records_job', true, false],
    ];
    const upto = w.db.prepare('SELECT max(id) FROM records').pluck().get() as number;
    const bound = Math.floor((upto - 6) * 0.7);
    let found = 0;
    for (const [column, name, exact, partial] of indexes) {
      for (const filter of FILTERS) {
        const ids = findMatchIds(w.db, filter);
        if (ids === null) continue;
        for (const dir of ['asc', 'desc'] as const) {
          const all = bruteIds(w.db, filter, column, dir);
          for (const start of [0, 100, 1000, Math.max(0, all.length - 50)]) {
            const got = scanIds(
              w.db,
              { name, exact, upto: partial ? bound : null, cols: colsOf(w.db, name) },
              ids,
              resolveSort([{ column, dir }]),
              start,
              start + 100,
            );
            if (got === null) continue;
            found++;
            assert.deepEqual(
              got,
              all.slice(start, start + 100),
              `${name} ${dir} from ${start}, ${JSON.stringify(filter)}`,
            );
          }
        }
      }
    }
    assert.ok(found > 0, 'some walks answered');
  } finally {
    w.cleanup();
  }
});
