import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateRows, toCsv } from '../../bench/generate';
import { COLUMN_IDS } from '../../common/columns';
import { localMs, utcMs } from '../../common/dates';
import { parseDateValue } from '../../common/search-syntax';
import { parseTimestamp } from '../../main/engine/import/timestamps';
import { countRows } from '../../main/engine/query';
import { importFiles, record, workspace } from './import-fixture';

const year = (ms: number | null | undefined): number => new Date(ms ?? NaN).getUTCFullYear();

test('years 0000-0099 are taken as written, not as 1900-1999', () => {
  for (const [text, y] of [
    ['0050-06-15 12:00:00', 50],
    ['0050-06-15 12:00:00.250', 50],
    ['0000-01-01 00:00:00', 0],
    ['0099-12-31T23:59:59Z', 99],
    ['0004-02-29T10:00:00+02:00', 4],
    ['15.06.0050 12:00:00', 50],
    ['0100-03-01 00:00:00', 100],
  ] as const) {
    const t = parseTimestamp(text);
    assert.ok(t, text);
    assert.equal(year(t.ms), y, text);
  }
  const iso = new Date(parseTimestamp('0050-06-15 12:00:00.250')?.ms ?? NaN).toISOString();
  assert.equal(iso, '0050-06-15T12:00:00.250Z');
  // Leap rules of the year as written: 0100 is not a leap year, 0004 is.
  assert.equal(parseTimestamp('0100-02-29 00:00:00'), null);
  assert.notEqual(parseTimestamp('0004-02-29 00:00:00'), null);
  // The per-day cache must not confuse 1950 and 0050.
  assert.equal(year(parseTimestamp('1950-06-15 12:00:00')?.ms), 1950);
  assert.equal(year(parseTimestamp('0050-06-15 13:00:00')?.ms), 50);
});

test('after:/before: and the shared date helpers read years 0000-0099 as written', () => {
  assert.equal(new Date(parseDateValue('0050-06-15') ?? NaN).toISOString(), '0050-06-15T00:00:00.000Z');
  assert.equal(year(parseDateValue('0001-01-01T00:00:00+01:00')), 0);
  assert.equal(utcMs(2026, 9, 1), Date.UTC(2026, 9, 1));
  assert.equal(new Date(utcMs(7, 0, 1, 5)).toISOString(), '0007-01-01T05:00:00.000Z');
  const local = new Date(localMs(50, 5, 15, 8, 30));
  assert.deepEqual(
    [local.getFullYear(), local.getMonth(), local.getDate(), local.getHours(), local.getMinutes()],
    [50, 5, 15, 8, 30],
  );
});

test('an imported record from the year 0050 is stored and found in 0050', async () => {
  const w = workspace();
  try {
    const rows = [...generateRows({ rows: 3, seed: 2 })];
    const t = COLUMN_IDS.indexOf('creation_time');
    const c = COLUMN_IDS.indexOf('correlation_id');
    rows[0][t] = '0050-06-15 12:00:00';
    rows[0][c] = 'y-0050';
    rows[1][t] = '1950-06-15 12:00:00';
    rows[1][c] = 'y-1950';
    const file = path.join(w.dir, 'years.csv');
    writeFileSync(file, toCsv(rows));
    const f = (await importFiles(w.db, [file])).files[0];
    assert.equal(f.imported, 3);
    assert.equal(year(record(w.db, 'y-0050').creation_time_ms as number), 50);
    assert.equal(record(w.db, 'y-0050').creation_time, '0050-06-15 12:00:00');
    assert.equal(countRows(w.db, { q: 'after:0050-06-01 before:0050-07-01' }), 1);
    assert.equal(countRows(w.db, { q: 'after:1950-06-01 before:1950-07-01' }), 1);
  } finally {
    w.cleanup();
  }
});
