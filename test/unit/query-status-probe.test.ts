/**
 * First pages sorted by status, substatus or status details under a filter whose id set is not at
 * hand are probed along the column's (column, time) index (status-probe.ts): they equal a
 * brute-force ORDER BY (column, creation_time_ms, id) for each column x both directions x page
 * positions drawn by fast-check, for a dense free word, a sparse one, one matching nothing and a
 * combination, with NULL and '' values and ties in time; a dense filter's page is served without
 * finding the set. Checked again after an append and after an import's removal.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import type { ColumnId } from '../../common/columns';
import type { FilterModel } from '../../common/contract';
import { compileWhere } from '../../main/engine/query/filter';
import { isKept } from '../../main/engine/query/kept-sets';
import { clearQueryCache, filterState } from '../../main/engine/query/paging';
import { resolveSort } from '../../main/engine/query/sql';
import { statusPage } from '../../main/engine/query/status-page';
import { probeAcrossChanges } from './probe-cases';
import { insertRecord } from './query-fixture';

const FILTERS: { filter: FilterModel; dense: boolean }[] = [
  { filter: { q: 'jane' }, dense: true },
  { filter: { q: 'jane -region:DE1 interface:rest' }, dense: false },
  { filter: { q: 'jane.odd' }, dense: false },
  { filter: { q: 'nosuchword' }, dense: false },
];

const COLUMNS: ColumnId[] = ['status', 'substatus', 'status_details'];

function brute(db: Database, filter: FilterModel, column: ColumnId, asc: boolean): number[] {
  const where = compileWhere(filter);
  const d = asc ? 'ASC' : 'DESC';
  return db
    .prepare(
      `SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY ${column} ${d}, creation_time_ms ${d}, id ${d}`,
    )
    .pluck()
    .all(...where.params) as number[];
}

/** Every filter x column x dir at fast-check's first rows; returns the pages served without a set. */
function check(db: Database, label: string): number {
  let probed = 0;
  fc.assert(
    fc.property(
      fc.constantFrom(...FILTERS),
      fc.constantFrom(...COLUMNS),
      fc.boolean(),
      fc.integer({ min: 0, max: 150 }),
      fc.integer({ min: 1, max: 100 }),
      ({ filter, dense }, column, asc, start, size) => {
        clearQueryCache(db);
        const state = filterState(db, filter, undefined);
        const sort = [{ column, dir: asc ? ('asc' as const) : ('desc' as const) }];
        const rows = statusPage(db, filter, resolveSort(sort), start, start + size, state);
        const where = `${label}: ${column} ${asc ? 'asc' : 'desc'} [${start}, ${start + size}) ${JSON.stringify(filter)}`;
        assert.ok(rows !== null, `${where}: answered`);
        assert.deepEqual(
          rows.map((r) => r.id),
          brute(db, filter, column, asc).slice(start, start + size),
          where,
        );
        if (dense) {
          assert.equal(isKept(db, state), false, `${where}: probed, no set found`);
          probed++;
        }
      },
    ),
    { numRuns: 60 },
  );
  return probed;
}

/** NULL and '' values, and records tied in time with a generated one. */
function addOddRows(db: Database): void {
  const time = db.prepare('SELECT creation_time FROM records WHERE id = 50').pluck().get() as string;
  for (const value of [null, '', 'aaa', 'zzz'])
    for (let round = 0; round < 3; round++)
      insertRecord(db, {
        message_to: round === 0 ? 'jane.odd@x.example' : 'jane.tie@web.de',
        status: value,
        substatus: value,
        status_details: value,
        creation_time: round === 2 ? null : time,
        entry_interface: 'rest',
      });
}

test('first pages by the status columns probed along their index equal brute force', () =>
  probeAcrossChanges(check, addOddRows));
