/**
 * A filter's id set from the page reader's value codes (codes-ids.ts): exactly the records a
 * brute-force WHERE over the table finds, for enum values, negations, a field's values ORed and
 * combinations over status, substatus, details, region, interface and To Domain (lower()ed), with NULL and '' values and a
 * value new to the codes loaded on by the request, after two imports and after a removal; none for
 * what the codes cannot answer (free words, addresses, SMTP replies, grid conditions, codes not loaded).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../common/contract';
import { removeImport } from '../../main/engine/import/remove';
import { codesIds } from '../../main/engine/query/codes-ids';
import { enableColumnCodes, stepColumnCodes } from '../../main/engine/query/column-codes';
import { compileWhere } from '../../main/engine/query/filter';
import { clearQueryCache, queryPage } from '../../main/engine/query/paging';
import { importFiles, workspace } from './import-fixture';
import { insertRecord } from './query-fixture';
import { writeCaseExports } from './summary-brute';

const SERVED: FilterModel[] = [
  { q: 'status:error' },
  { q: '-status:error' },
  { q: 'status:error status:ok' },
  { q: 'status:ok substatus:delivered' },
  { q: 'details:soft_bounce' },
  { q: '-details:soft_bounce -details:hard_bounce' },
  { q: 'region:DE1' },
  { q: '-interface:smtp' },
  { q: 'status:error region:DE1 -interface:smtp' },
  { q: 'status:error -status:error' },
  // Domains over the lower()ed To Domain codes (13b): any case, negated, ORed, with other columns.
  { q: 'domain:web.de' },
  { q: 'domain:WEB.De' },
  { q: '-domain:web.de' },
  { q: 'domain:web.de domain:gmx.de' },
  { q: 'status:error domain:web.de' },
  { q: 'domain:nosuch.example' },
];

/** after:/before: bounds over the hour codes (time-codes.ts): on the hour, off it, in a +05:30 zone, near the epoch. */
const TIMED: FilterModel[] = [
  { q: 'after:2026-10-20' },
  { q: 'before:2026-10-05' },
  { q: '-after:2026-10-20' },
  { q: 'status:error -after:2026-10-20' },
  { q: 'after:"2026-10-12 14:37"' },
  { q: 'after:2026-10-10 before:"2026-10-25 07:30"' },
  { q: 'after:2026-10-20', timeZone: 'Asia/Kolkata' },
  { q: 'region:DE1 before:2026-11-02T10:15:00+02:00' },
  { q: '-before:2026-10-15 -after:2026-10-28 -status:ok' },
  { q: 'after:1970-01-01' },
  { q: 'before:"1969-12-31 23:30"' },
  { q: '-before:"1969-12-31 23:59:59"' },
];

const DECLINED: FilterModel[] = [
  { q: 'jane' },
  { q: 'smtp:550' },
  { q: 'to:jane' },
  { q: 'from:news' },
  { q: 'after:2026-10-20 jane' },
  { q: 'status:error', timeFrom: Date.UTC(2026, 9, 20) },
  { q: 'status:error', conditions: [{ type: 'text', column: 'tenant', op: 'contains', value: 'x' }] },
  { q: '' },
];

function brute(db: Database, filter: FilterModel): number[] {
  const where = compileWhere(filter);
  return db
    .prepare(`SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY id`)
    .pluck()
    .all(...where.params) as number[];
}

function check(db: Database, label: string): void {
  for (const filter of [...SERVED, ...TIMED]) {
    const got = db.transaction(() => codesIds(db, filter))();
    assert.ok(got !== null, `${label}: ${JSON.stringify(filter)} is served`);
    assert.deepEqual(Array.from(got), brute(db, filter), `${label}: ${JSON.stringify(filter)}`);
  }
  for (const filter of DECLINED)
    assert.equal(
      db.transaction(() => codesIds(db, filter))(),
      null,
      `${label}: ${JSON.stringify(filter)} declined`,
    );
}

/** Pages by a coded, a status and an indexed column under the served filters, against brute force. */
function checkPages(db: Database, label: string): void {
  for (const filter of [...SERVED.slice(0, 4), ...TIMED.slice(0, 6)])
    for (const [column, order] of [
      ['tenant', 'tenant'],
      ['status_details', 'status_details DESC, creation_time_ms DESC, id DESC'],
      ['usage_id', 'usage_id'],
    ] as const) {
      const dir = order.includes('DESC') ? 'desc' : 'asc';
      const where = compileWhere(filter);
      const full = order.includes(',') ? order : `${order} ${dir.toUpperCase()}, id ${dir.toUpperCase()}`;
      const all = db
        .prepare(`SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY ${full}`)
        .pluck()
        .all(...where.params) as number[];
      for (const start of [0, Math.floor(all.length / 2), Math.max(0, all.length - 50)]) {
        clearQueryCache(db);
        const page = queryPage(db, { filter, sort: [{ column, dir }], startRow: start, endRow: start + 100 });
        assert.deepEqual(
          page.rows.map((r) => r.id),
          all.slice(start, start + 100),
          `${label}: ${JSON.stringify(filter)} by ${column} ${dir} from ${start}`,
        );
      }
    }
}

test('id sets from the value codes equal a brute-force WHERE; other filters declined', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 21);
    await importFiles(w.db, [a]);
    // Codes not enabled (the CLI's connection): nothing served.
    assert.equal(w.db.transaction(() => codesIds(w.db, { q: 'status:error' }))(), null);
    enableColumnCodes(w.db);
    while (stepColumnCodes(w.db, 2000));
    check(w.db, 'one import');
    await importFiles(w.db, [b]);
    // NULL and '' values, and a value the codes have not seen, loaded on by the request.
    for (const rec of [
      { status: null, substatus: null, status_details: null, processing_region: null },
      { status: '', substatus: '', status_details: '', entry_interface: '' },
      { status: 'error', substatus: 'brand_new', status_details: 'soft_bounce', processing_region: 'DE1' },
      // Both sides of the epoch share hour 0 (SQLite's integer division truncates toward zero).
      { status: 'error', creation_time: '1969-12-31 23:59:59.500' },
      { status: 'ok', creation_time: '1970-01-01 00:00:00.250' },
      { status: 'error', creation_time: '1969-12-30 10:00:00' },
      { status: 'ok', creation_time: '2026-10-12 14:37:00' },
      // To Domains NULL, '', in capitals and new to the codes.
      { status: 'ok', message_to_domain: null },
      { status: 'ok', message_to_domain: '' },
      { status: 'error', message_to_domain: 'WEB.DE' },
      { status: 'ok', message_to_domain: 'Web.de' },
      { status: 'ok', message_to_domain: 'nosuch.example' },
    ])
      insertRecord(w.db, rec);
    check(w.db, 'appended, loaded on');
    checkPages(w.db, 'appended, pages');
    await removeImport(w.db, 1, new AbortController().signal);
    assert.equal(
      w.db.transaction(() => codesIds(w.db, { q: 'status:error' }))(),
      null,
      'a removal drops the codes',
    );
    while (stepColumnCodes(w.db, 2000));
    check(w.db, 'removed, reloaded');
    checkPages(w.db, 'removed, pages');
  } finally {
    w.cleanup();
  }
});

test('a time not stored as an integer leaves time terms to SQL', async () => {
  const w = workspace();
  try {
    const [a] = writeCaseExports(w.dir, 22);
    await importFiles(w.db, [a]);
    // Before the codes load: a REAL compares as a number, but its hour is no integer.
    w.db
      .prepare(
        'UPDATE records SET creation_time_ms = creation_time_ms + 0.5 WHERE id = (SELECT min(id) FROM records)',
      )
      .run();
    enableColumnCodes(w.db);
    while (stepColumnCodes(w.db, 2000));
    assert.equal(w.db.transaction(() => codesIds(w.db, { q: 'after:2026-10-20' }))(), null);
    const got = w.db.transaction(() => codesIds(w.db, { q: 'status:error' }))();
    assert.deepEqual(Array.from(got ?? []), brute(w.db, { q: 'status:error' }));
  } finally {
    w.cleanup();
  }
});
