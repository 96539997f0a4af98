/**
 * Pages by a bucket-coded column whose picked buckets hold more records than are gathered
 * whole (unique-page.ts windowed: an even bucket, one value, read as its window in id order; at 5M the
 * SMTP reply `250 ...` holds 1.4M records): the rows a brute-force ORDER BY gives, for Usage ID, Job ID
 * (~50 records a value) and SMTP reply (a few values hold most records, NULL), both directions, any
 * start and every record or a filter's set (fast-check), with the gather cap at 1 so every page takes
 * the window path; after an append of NULL, '' and tied values and after an import's removal.
 * Then SMTP reply with its order built for its big one-value buckets (unique-order.ts, 14a): every
 * record's pages read as slices of the order, at random starts and at each value's first and last
 * rows and around them; with the order not built yet, with records appended above its top, and after
 * a removal (built again).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import { removeImport } from '../../main/engine/import/remove';
import { compileWhere } from '../../main/engine/query/filter';
import {
  enableUniqueCodes,
  stepUniqueCodes,
  uniqueCodes,
  type UniqueTuning,
} from '../../main/engine/query/unique-codes';
import { bucketOrder } from '../../main/engine/query/unique-order';
import { uniquePageIds } from '../../main/engine/query/unique-page';
import { importFiles, workspace } from './import-fixture';
import { insertRecord } from './query-fixture';
import { writeCaseExports } from './summary-brute';

const EXPRS = ['usage_id', 'job_id', 'smtp_status_code'] as const;

/** Every record, and filters whose set the pass goes over (a broad one, a sparse one). */
const FILTERS = ['', '-status:error', 'status:error', 'details:soft_bounce'] as const;

function brute(db: Database, q: string, expr: string, asc: boolean, start: number): number[] {
  const d = asc ? 'ASC' : 'DESC';
  const where = compileWhere({ q });
  return db
    .prepare(
      `SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY ${expr} ${d}, id ${d} LIMIT 100 OFFSET ?`,
    )
    .pluck()
    .all(...where.params, start) as number[];
}

function setOf(db: Database, q: string): Uint32Array | null {
  if (q === '') return null;
  const where = compileWhere({ q });
  const ids = db
    .prepare(`SELECT id FROM records WHERE ${where.sql} ORDER BY id`)
    .pluck()
    .all(...where.params) as number[];
  return Uint32Array.from(ids);
}

/** Checks random starts; returns how many pages the window path answered (null: declined, SQL's). */
function check(db: Database, label: string): number {
  const total = db.prepare('SELECT count(*) FROM records').pluck().get() as number;
  let answered = 0;
  fc.assert(
    fc.property(
      fc.constantFrom(...FILTERS),
      fc.constantFrom(...EXPRS),
      fc.boolean(),
      fc.integer({ min: 0, max: total + 20 }),
      (q, expr, asc, start) => {
        const list = setOf(db, q);
        const got = db.transaction(() => uniquePageIds(db, expr, asc, asc, start, start + 100, list, 1))();
        if (got === null) return;
        answered++;
        const name = `${label}: {q: ${q}} ${expr} ${asc ? 'asc' : 'desc'} @${start}`;
        assert.deepEqual(got, brute(db, q, expr, asc, start), name);
      },
    ),
    { numRuns: 200, seed: 13 },
  );
  return answered;
}

function load(db: Database, tuning: UniqueTuning = { chunk: 3000 }): void {
  while (stepUniqueCodes(db, tuning));
}

test('pages over buckets too big to gather whole equal brute force', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 7);
    await importFiles(w.db, [a, b]);
    enableUniqueCodes(w.db);
    load(w.db);
    assert.ok(check(w.db, 'two imports') > 100, 'most pages from the window path');
    for (const v of [null, '', null, '', 'J1', 'J1', '250 2.0.0 OK'])
      insertRecord(w.db, { usage_id: v, job_id: v, smtp_status_code: v });
    assert.ok(check(w.db, 'appended') > 50, 'appended: from the window path');
    await removeImport(w.db, 1, new AbortController().signal);
    load(w.db);
    assert.ok(check(w.db, 'removed, reloaded') > 100, 'removed: from the window path');
  } finally {
    w.cleanup();
  }
});

const SMTP = 'smtp_status_code';

/** Orders for buckets of one value past 200 records (the generator's replies: hundreds each). */
const ORDERED: UniqueTuning = { chunk: 3000, order: { bucket: 200, span: Infinity } };
const UNORDERED: UniqueTuning = { chunk: 3000, order: { bucket: Infinity, span: Infinity } };

function hasOrder(db: Database): boolean {
  const col = db.transaction(() => uniqueCodes(db, SMTP))();
  return col !== null && bucketOrder(col) !== null;
}

/** Starts at and around the first and last rows of each value held by 50 records or more. */
function edges(db: Database, asc: boolean): number[] {
  const d = asc ? 'ASC' : 'DESC';
  const vals = db
    .prepare(`SELECT ${SMTP} FROM records NOT INDEXED ORDER BY ${SMTP} ${d}, id ${d}`)
    .pluck()
    .all();
  const out = new Set<number>();
  let i = 0;
  while (i < vals.length) {
    let run = i + 1;
    while (run < vals.length && vals[run] === vals[i]) run++;
    if (run - i >= 50)
      for (const k of [i - 100, i - 1, i, i + 1, run - 101, run - 100, run - 99, run - 1, run])
        out.add(Math.max(0, k));
    i = run;
  }
  return [...out];
}

/** Every record's SMTP pages, window path forced (gather cap 1): edges, then random starts. */
function checkAll(db: Database, label: string): void {
  const page = (asc: boolean, start: number): number[] | null =>
    db.transaction(() => uniquePageIds(db, SMTP, asc, asc, start, start + 100, null, 1))();
  for (const asc of [true, false])
    for (const start of edges(db, asc))
      assert.deepEqual(page(asc, start), brute(db, '', SMTP, asc, start), `${label}: ${asc} @${start}`);
  const total = db.prepare('SELECT count(*) FROM records').pluck().get() as number;
  fc.assert(
    fc.property(fc.boolean(), fc.integer({ min: 0, max: total + 20 }), (asc, start) => {
      assert.deepEqual(page(asc, start), brute(db, '', SMTP, asc, start), `${label}: ${asc} @${start}`);
    }),
    { numRuns: 60, seed: 14 },
  );
}

test("SMTP reply pages read from its big buckets' order equal brute force, built or not", async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 5);
    await importFiles(w.db, [a, b]);
    enableUniqueCodes(w.db);
    load(w.db, UNORDERED);
    assert.equal(hasOrder(w.db), false);
    checkAll(w.db, 'order not built');
    load(w.db, ORDERED);
    assert.ok(hasOrder(w.db), 'ordered: its replies are one-value buckets of hundreds');
    checkAll(w.db, 'order built');
    const common = w.db
      .prepare(`SELECT ${SMTP} FROM records GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`)
      .pluck()
      .get() as string;
    for (const v of [null, '', common, null, common, 'zzz'])
      insertRecord(w.db, { status: 'OK', smtp_status_code: v });
    checkAll(w.db, 'appended above the order');
    await removeImport(w.db, 1, new AbortController().signal);
    load(w.db, UNORDERED);
    assert.equal(hasOrder(w.db), false, 'a new generation: no order until built');
    checkAll(w.db, 'removed, order not built');
    load(w.db, ORDERED);
    assert.ok(hasOrder(w.db));
    checkAll(w.db, 'removed, built again');
  } finally {
    w.cleanup();
  }
});
