/**
 * The page reader's hour codes (column-codes.ts HOUR_CODE_EXPR): windows of a set in (time, id) order
 * (hour-order.ts) and after:/before: sets (time-codes.ts through codes-ids.ts) equal a brute-force
 * ORDER BY / WHERE, for random sets, windows and bounds, over records tied in time, on both sides of
 * the epoch (hour 0 spans both: SQLite's integer division truncates toward zero), without a time, and
 * after records were appended beyond the codes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import { codesIds } from '../../main/engine/query/codes-ids';
import { enableColumnCodes, stepColumnCodes } from '../../main/engine/query/column-codes';
import { compileWhere } from '../../main/engine/query/filter';
import { hourWindow } from '../../main/engine/query/hour-order';
import { workspace } from './import-fixture';
import { insertRecord } from './query-fixture';

const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 9, 20, 5);

/** Times: ties within a few hours, both sides of the epoch, far apart, and none. */
function timeOf(i: number): string | null {
  if (i % 17 === 0) return null;
  const ms =
    i % 5 === 0
      ? (i % 3) * 1000 - 1500 - (i % 2) * HOUR
      : i % 7 === 0
        ? BASE - (i % 4) * 400 * 24 * HOUR
        : BASE + (i % 9) * (HOUR / 3) + (i % 2) * 250;
  // insertRecord reads UTC without the zone letter.
  return new Date(ms).toISOString().slice(0, -1);
}

function fill(db: Database, from: number, to: number): void {
  for (let i = from; i < to; i++)
    insertRecord(db, { creation_time: timeOf(i), status: i % 3 === 0 ? 'error' : 'ok' });
}

function ordered(db: Database, ids: readonly number[], asc: boolean): number[] {
  const d = asc ? 'ASC' : 'DESC';
  return db
    .prepare(
      `SELECT id FROM records NOT INDEXED WHERE id IN (SELECT value FROM json_each(?))
       ORDER BY creation_time_ms ${d}, id ${d}`,
    )
    .pluck()
    .all(JSON.stringify(ids)) as number[];
}

function checkWindows(db: Database, label: string): void {
  const all = db.prepare('SELECT id FROM records ORDER BY id').pluck().all() as number[];
  fc.assert(
    fc.property(
      fc.array(fc.boolean(), { minLength: all.length, maxLength: all.length }),
      fc.nat(all.length),
      fc.integer({ min: 1, max: 120 }),
      fc.boolean(),
      (keep, from, len, asc) => {
        const ids = all.filter((_, i) => keep[i]);
        const got = db.transaction(() => hourWindow(db, ids, asc, from, from + len))();
        assert.ok(got !== null, `${label}: served`);
        assert.deepEqual(got, ordered(db, ids, asc).slice(from, from + len), label);
      },
    ),
    { numRuns: 60 },
  );
}

function checkTerms(db: Database, label: string): void {
  const bound = fc.oneof(
    fc.integer({ min: BASE - 2 * HOUR, max: BASE + 4 * HOUR }),
    fc.integer({ min: -2 * HOUR, max: 2 * HOUR }),
    fc.constantFrom(0, -HOUR, HOUR, BASE, BASE + HOUR / 3),
  );
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.constantFrom('after', 'before'), bound, fc.boolean()), {
        minLength: 1,
        maxLength: 3,
      }),
      fc.boolean(),
      (terms, withStatus) => {
        const q = [
          ...terms.map(([f, ms, neg]) => `${neg ? '-' : ''}${f}:${new Date(ms).toISOString()}`),
          ...(withStatus ? ['status:error'] : []),
        ].join(' ');
        const where = compileWhere({ q });
        const brute = db
          .prepare(`SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY id`)
          .pluck()
          .all(...where.params) as number[];
        const got = db.transaction(() => codesIds(db, { q }))();
        assert.ok(got !== null, `${label}: ${q} served`);
        assert.deepEqual(Array.from(got), brute, `${label}: ${q}`);
      },
    ),
    { numRuns: 80 },
  );
}

test('hour codes: windows in (time, id) order and time-term sets equal brute force', () => {
  const w = workspace();
  try {
    fill(w.db, 1, 400);
    const kinds = w.db
      .prepare(
        'SELECT count(*) FILTER (WHERE creation_time_ms IS NULL), count(*) FILTER (WHERE creation_time_ms < 0) FROM records',
      )
      .raw()
      .get() as [number, number];
    assert.ok(kinds[0] > 10 && kinds[1] > 10, 'records without a time and before the epoch');
    // Not loaded: declined.
    assert.equal(w.db.transaction(() => hourWindow(w.db, [1, 2, 3], true, 0, 2))(), null);
    enableColumnCodes(w.db);
    while (stepColumnCodes(w.db, 150));
    checkWindows(w.db, 'loaded');
    checkTerms(w.db, 'loaded');
    // Appended past the codes: loaded on by the request (one step's worth).
    fill(w.db, 400, 460);
    checkWindows(w.db, 'appended');
    checkTerms(w.db, 'appended');
  } finally {
    w.cleanup();
  }
});
