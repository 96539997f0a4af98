/**
 * The page reader's codes, loaded in idle steps of any size (their size follows the time the last
 * step took: step-size.ts), are the same as loaded in whole steps.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insertRecord } from './query-fixture';
import {
  columnCodes,
  columnCodesUpto,
  dropColumnCodes,
  enableColumnCodes,
  stepColumnCodes,
} from '../../main/engine/query/column-codes';
import { openDatabase } from '../../main/engine/db/open';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

test('value codes loaded in steps of varying size equal those loaded in whole steps', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'di-steps-'));
  const db = openDatabase(path.join(dir, 'w.sqlite'));
  try {
    for (let i = 0; i < 3000; i++)
      insertRecord(db, { tenant: `t${(i * 7919) % 97}`, reference_job: i % 5 === 0 ? null : `job${i % 13}` });
    enableColumnCodes(db);
    const codesOf = (expr: string): unknown => {
      const c = db.transaction(() => columnCodes(db, expr))();
      return c === null
        ? null
        : { values: c.col.values, ranks: c.col.ranks, codes: [...c.col.codes.subarray(0, 3001)] };
    };
    while (stepColumnCodes(db));
    const whole = ['tenant', 'reference_job'].map(codesOf);
    dropColumnCodes(db);
    let size = 37;
    let steps = 0;
    while (stepColumnCodes(db, size)) {
      steps++;
      // Sizes that shrink and grow as timed steps do.
      size = steps % 2 === 0 ? Math.max(11, Math.round(size / 3)) : Math.min(400, size * 3);
    }
    assert.ok(steps > 10, `${steps} steps`);
    assert.equal(columnCodesUpto(db), 3000);
    assert.deepEqual(['tenant', 'reference_job'].map(codesOf), whole);
    assert.notEqual(whole[0], null);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
