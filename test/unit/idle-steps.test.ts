/**
 * The size of an idle load step follows the time the last step took (idle-loop.ts nextStepSize): a
 * slow step makes the next one smaller so that a page asked mid-step waits ~STEP_MS, a fast one lets
 * it grow (at most doubling), and both stay within the bounds given. And the page reader's codes,
 * loaded in such steps of any size, are the same as loaded in whole CODES_CHUNK steps.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insertRecord } from './query-fixture';
import { nextStepSize, STEP_MS } from '../../main/engine/worker/idle-loop';
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

test('a slow step shrinks the next one towards STEP_MS, a fast one grows it, within the bounds', () => {
  assert.equal(nextStepSize(10_000, STEP_MS * 5, 500, 10_000), 2000);
  assert.equal(nextStepSize(10_000, STEP_MS * 1000, 500, 10_000), 500);
  assert.equal(nextStepSize(2000, STEP_MS / 2, 500, 10_000), 4000);
  assert.equal(nextStepSize(2000, STEP_MS / 100, 500, 10_000), 4000, 'at most doubled');
  assert.equal(nextStepSize(8000, 0, 500, 10_000), 10_000, 'a step too fast to time grows to the cap');
  assert.equal(nextStepSize(3000, STEP_MS, 500, 10_000), 3000);
});

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
      size = nextStepSize(size, steps % 2 === 0 ? STEP_MS * 3 : STEP_MS / 3, 11, 400);
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
