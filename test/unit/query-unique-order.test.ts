/**
 * The bucket orders of the spread unique columns (unique-order.ts): each bucket's slice holds exactly
 * the ids its code has, ascending, and unfiltered pages read through them equal a brute-force
 * ORDER BY: both directions, first, boundary, middle, deep and last pages, ties, NULL and ''; built
 * over several steps with records appended meanwhile (found above the order's top by a pass), and
 * after an import was removed (new generation: built again). Columns that are not spread get none.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { removeImport } from '../../main/engine/import/remove';
import { clearQueryCache, queryPage } from '../../main/engine/query/paging';
import {
  enableUniqueCodes,
  stepUniqueCodes,
  uniqueCodes,
  type UniqueColumn,
  type UniqueTuning,
} from '../../main/engine/query/unique-codes';
import { bucketOrder, meanSpan, stepBucketOrders } from '../../main/engine/query/unique-order';
import { importFiles, workspace } from './import-fixture';
import { bruteOrder, insertRecord } from './query-fixture';
import { writeCaseExports } from './summary-brute';

const COLUMNS = [
  ['meta_data_id', 'meta_data_id'],
  ['meta_data_creation_time', 'meta_data_creation_time_ms'],
  ['message_to', 'lower(message_to)'],
  ['correlation_id', 'correlation_id'],
] as const;

/** Few splitters: buckets of hundreds of values, so a page sorts within its buckets. */
const TUNING: UniqueTuning = { sampleSize: 60, maxSplitters: 20, chunk: 2500, order: { span: 0 } };

function col(db: Database, expr: string): UniqueColumn {
  const c = db.transaction(() => uniqueCodes(db, expr))();
  assert.ok(c !== null, `${expr} coded`);
  return c;
}

/** Every bucket's slice of the order is the ids of its code up to the order's top, ascending. */
function checkOrder(db: Database, expr: string): void {
  const c = col(db, expr);
  const order = bucketOrder(c);
  assert.ok(order !== null, `${expr} has an order`);
  const byCode = new Map<number, number[]>();
  for (let id = 1; id <= order.top && id < c.codes.length; id++) {
    const code = c.codes[id];
    if (code !== 0) byCode.set(code, [...(byCode.get(code) ?? []), id]);
  }
  for (let code = 0; code < c.counts.length; code++)
    assert.deepEqual(
      Array.from(order.ids.subarray(order.offsets[code], order.offsets[code + 1])),
      code === 0 ? [] : (byCode.get(code) ?? []),
      `${expr} code ${code}`,
    );
}

function checkPages(db: Database, label: string): void {
  clearQueryCache(db);
  for (const [column, expr] of COLUMNS) {
    for (const asc of [true, false]) {
      const all = bruteOrder(db, expr, asc);
      const n = all.length;
      for (const start of [0, 37, Math.floor(n / 3) - 50, Math.floor(n / 2), n - 160, n - 60]) {
        const page = queryPage(db, {
          filter: {},
          sort: [{ column, dir: asc ? 'asc' : 'desc' }],
          startRow: start,
          endRow: start + 100,
        });
        assert.deepEqual(
          page.rows.map((r) => r.id),
          all.slice(start, start + 100),
          `${label}: ${column} ${asc ? 'asc' : 'desc'} at ${start}`,
        );
      }
    }
  }
}

function maxId(db: Database): number {
  return db.prepare('SELECT max(id) FROM records').pluck().get() as number;
}

function loadAll(db: Database, tuning: UniqueTuning): void {
  while (stepUniqueCodes(db, tuning));
}

/** Ties, NULL, '' and values between the generator's, appended above the orders' tops. */
function appendOdd(db: Database): void {
  const some = db.prepare('SELECT meta_data_id FROM records WHERE id % 389 = 7 LIMIT 8').pluck().all() as (
    string | null
  )[];
  for (const v of [...some, null, '', 'm-', 'm-5-1', 'zz', null, '']) {
    const id = insertRecord(db, { status: 'ERROR', message_to: 'jane.odd@x.example', meta_data_id: v });
    db.prepare('UPDATE records SET meta_data_creation_time_ms = ?, correlation_id = ? WHERE id = ?').run(
      v === null ? null : 1_790_000_000_000 + (id % 5),
      v,
      id,
    );
  }
}

test('bucket orders hold each code its ids; pages through them equal brute force, appends and a removal', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 11);
    await importFiles(w.db, [a]);
    await importFiles(w.db, [b]);
    enableUniqueCodes(w.db);
    // Coded to the end without orders; then Meta Data ID's in steps of 2000 ids, with records
    // appended between them (coded by the next request, above the top the order is built for).
    loadAll(w.db, { ...TUNING, order: { span: Infinity } });
    assert.equal(bucketOrder(col(w.db, 'meta_data_id')), null);
    const top = maxId(w.db);
    let steps = 0;
    while (stepBucketOrders([col(w.db, 'meta_data_id')], maxId(w.db), { span: 0 }, 2000)) {
      steps++;
      appendOdd(w.db);
    }
    assert.ok(steps > 3, `built in ${steps} steps`);
    assert.equal(bucketOrder(col(w.db, 'meta_data_id'))?.top, top);
    assert.ok(maxId(w.db) > top, 'appended above the top');
    loadAll(w.db, TUNING);
    for (const [, expr] of COLUMNS) checkOrder(w.db, expr);
    checkPages(w.db, 'built, appended during the build');

    appendOdd(w.db);
    checkPages(w.db, 'appended after');

    await removeImport(w.db, 1, new AbortController().signal);
    loadAll(w.db, TUNING);
    for (const [, expr] of COLUMNS) checkOrder(w.db, expr);
    checkPages(w.db, 'removed, built again');
  } finally {
    w.cleanup();
  }
});

test('only columns whose buckets are spread get an order', async () => {
  const w = workspace();
  try {
    const [a] = writeCaseExports(w.dir, 12);
    await importFiles(w.db, [a]);
    enableUniqueCodes(w.db);
    const top = maxId(w.db);
    // Spread: more than a tenth of the table on average.
    const tuning: UniqueTuning = { ...TUNING, order: { span: top / 10 } };
    loadAll(w.db, tuning);
    for (const [, expr] of COLUMNS) {
      const c = col(w.db, expr);
      assert.equal(bucketOrder(c) !== null, meanSpan(c) > top / 10, expr);
    }
    // Creation time comes in id order: its buckets are short runs of ids.
    assert.equal(bucketOrder(col(w.db, 'meta_data_creation_time_ms')), null);
    checkPages(w.db, 'some ordered');
  } finally {
    w.cleanup();
  }
});
