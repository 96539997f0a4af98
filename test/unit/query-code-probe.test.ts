/**
 * First pages by a coded column under a filter whose id set is not known are probed from the first
 * records in the sort's order (code-probe.ts, sort-codes.ts): they equal a brute-force ORDER BY for
 * every coded column x both directions x filters dense, sparse, matching nothing and of coded
 * columns (their set from the codes, not probed), at row 0 and 37, without finding the filter's set
 * where the probe holds the page. Checked again after an append and a removal of an import.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { COLUMN_IDS, type ColumnId } from '../../common/columns';
import type { FilterModel, SortDir } from '../../common/contract';
import { CODE_EXPRS } from '../../main/engine/query/column-codes';
import { compileWhere } from '../../main/engine/query/filter';
import { isKept } from '../../main/engine/query/kept-sets';
import { clearQueryCache, filterState } from '../../main/engine/query/paging';
import { codesPage } from '../../main/engine/query/sort-codes';
import { resolveSort } from '../../main/engine/query/sql';
import { probeAcrossChanges } from './probe-cases';
import { insertRecord } from './query-fixture';

/**
 * probe: dense, no set found (the first 2 000 records hold the page); codes: its set from the codes
 * (codes-ids.ts), not probed; any: sparse or none (the second probe holds every record of this case).
 */
const FILTERS: { filter: FilterModel; expect: 'probe' | 'codes' | 'any' }[] = [
  { filter: { q: 'jane' }, expect: 'probe' },
  { filter: { q: 'jane -region:DE1' }, expect: 'probe' },
  { filter: { q: 'domain:web.de -region:DE1' }, expect: 'codes' },
  // Time bounds have their set from the hour codes (time-codes.ts), a pass over every record: a
  // small probe comes first, and holds the page of this dense one.
  { filter: { q: 'after:2026-11-01 -region:DE1' }, expect: 'probe' },
  { filter: { q: '-status:error' }, expect: 'codes' },
  { filter: { q: 'jane.odd' }, expect: 'any' },
  { filter: { q: 'nosuchword' }, expect: 'any' },
];

const CODED: ColumnId[] = COLUMN_IDS.filter(
  (c) => c !== 'message_to_domain' && CODE_EXPRS.includes(resolveSort([{ column: c, dir: 'asc' }])[0].expr),
);

function brute(db: Database, filter: FilterModel, keys: ReturnType<typeof resolveSort>): number[] {
  const where = compileWhere(filter);
  const order = keys.map((k) => `${k.expr} ${k.dir === 'asc' ? 'ASC' : 'DESC'}`).join(', ');
  return db
    .prepare(`SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY ${order}`)
    .pluck()
    .all(...where.params) as number[];
}

function checkProbes(db: Database, label: string): number {
  let probed = 0;
  for (const { filter, expect } of FILTERS) {
    for (const column of CODED) {
      for (const dir of ['asc', 'desc'] as SortDir[]) {
        const keys = resolveSort([{ column, dir }]);
        const all = brute(db, filter, keys);
        for (const start of [0, 37]) {
          clearQueryCache(db);
          const state = filterState(db, filter, undefined);
          const rows = codesPage(db, filter, keys, start, start + 100, state);
          const where = `${label}: ${column} ${dir} from ${start}, ${JSON.stringify(filter)}`;
          assert.ok(rows !== null, `${where}: answered`);
          assert.deepEqual(
            rows.map((r) => r.id),
            all.slice(start, start + 100),
            where,
          );
          if (expect === 'probe') {
            assert.equal(isKept(db, state), false, `${where}: probed, no set found`);
            probed++;
          } else if (expect === 'codes')
            assert.equal(isKept(db, state), true, `${where}: set from the codes`);
        }
      }
    }
  }
  return probed;
}

test('first pages by coded columns probed from the first records equal brute force', () =>
  probeAcrossChanges(checkProbes, (db) => {
    for (let i = 0; i < 3; i++) insertRecord(db, { status: 'ERROR', message_to: 'jane.odd@x.example' });
  }));
