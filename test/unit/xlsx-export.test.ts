import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { writeExport } from '../../bench/generate';
import { COLUMN_IDS, COLUMNS } from '../../common/columns';
import { openDatabase } from '../../main/engine/db/open';
import { runXlsxExport } from '../../main/engine/xlsx/export';
import { fileDb, tempDir } from './export-fixture';
import { importOne, openpyxl, quiet, records, request } from './xlsx-export-fixture';

for (const timeZone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata']) {
  test(`round trip: an .xlsx export (times in ${timeZone}) imported again gives the same records`, async () => {
    const { dir, cleanup } = tempDir();
    const a = openDatabase(path.join(dir, 'a.sqlite'));
    const b = openDatabase(path.join(dir, 'b.sqlite'));
    try {
      const csv = path.join(dir, 'in.csv');
      // Winter and summer times (across the spring change), quoted multi-line SMTP texts, empty
      // optional columns. Not the autumn change: see the next test.
      await writeExport(csv, { rows: 3000, seed: 7, startMs: Date.UTC(2026, 2, 20), spanDays: 200 });
      await importOne(a, csv);
      const out = path.join(dir, 'out.xlsx');
      const res = await runXlsxExport(a, request(out, { timeZone }), quiet);
      assert.equal(res.rowsWritten, 3000);
      assert.equal(res.sheets, 1);
      assert.equal(res.truncatedCells, 0);
      await importOne(b, out);
      const before = records(a);
      const after = records(b);
      assert.equal(after.length, before.length);
      for (let i = 0; i < before.length; i++) assert.deepEqual(after[i], before[i], `record ${i + 1}`);
    } finally {
      a.close();
      b.close();
      cleanup();
    }
  });
}

test('in the hour repeated when summer time ends, a zone export reads back as the earlier instant (UTC is exact)', async () => {
  const { dir, cleanup } = tempDir();
  // 2026-10-25 in Berlin: 02:30 wall time happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
  const rows = ['2026-10-25 00:30:00', '2026-10-25 01:30:00'].map((t, i) =>
    COLUMNS.map((c) =>
      c.kind === 'time' ? t : c.id === 'correlation_id' ? `c${i}` : c.kind === 'integer' ? '1' : 'x',
    ),
  );
  const a = fileDb(dir, rows);
  const b = openDatabase(path.join(dir, 'b.sqlite'));
  const c = openDatabase(path.join(dir, 'c.sqlite'));
  try {
    const berlin = path.join(dir, 'berlin.xlsx');
    await runXlsxExport(a, request(berlin, { timeZone: 'Europe/Berlin' }), quiet);
    await importOne(b, berlin);
    const times = (db: Database): unknown[] =>
      db.prepare('SELECT creation_time_ms FROM records ORDER BY correlation_id').pluck().all();
    const earlier = Date.UTC(2026, 9, 25, 0, 30);
    assert.deepEqual(times(b), [earlier, earlier]);
    const utc = path.join(dir, 'utc.xlsx');
    await runXlsxExport(a, request(utc), quiet);
    await importOne(c, utc);
    assert.deepEqual(times(c), [earlier, Date.UTC(2026, 9, 25, 1, 30)]);
  } finally {
    a.close();
    b.close();
    c.close();
    cleanup();
  }
});

test('tricky text survives the round trip byte for byte and is never a formula', async () => {
  const { dir, cleanup } = tempDir();
  const values = [
    '=HYPERLINK("http://x","y")',
    '+SUM(A1:A2)',
    '@cmd',
    '-1+1',
    '  leading and trailing  ',
    'tab\there, CR\rLF\nend',
    'ctrl \u0001\u0008\u000b\u001e chars',
    'literal _x0041_ and _x005F_',
    '<tag attr="v"> & ampersand',
    'emoji 😀 and ümlaut',
    '00123',
    '5.1.1',
  ];
  const base = COLUMNS.map((c) =>
    c.kind === 'time' ? '2026-10-01 10:00:00' : c.kind === 'integer' ? '1' : 'x',
  );
  const col = COLUMN_IDS.indexOf('cost_center');
  const rows = values.map((v, i) =>
    base.map((x, j) =>
      j === col ? v : j === COLUMN_IDS.indexOf('correlation_id') ? `c${String(i).padStart(2, '0')}` : x,
    ),
  );
  const a = fileDb(dir, rows);
  const b = openDatabase(path.join(dir, 'b.sqlite'));
  try {
    const out = path.join(dir, 'tricky.xlsx');
    await runXlsxExport(a, request(out, { sort: [{ column: 'correlation_id', dir: 'asc' }] }), quiet);
    const seen = openpyxl(out, 20)[0];
    const cells = seen.cells.slice(1).map((r) => r[COLUMN_IDS.indexOf('cost_center')]);
    assert.deepEqual(
      cells.map((c) => c.type),
      values.map(() => 's'),
      'every value is a string cell, none a formula',
    );
    assert.equal(cells[0].value, values[0]);
    await importOne(b, out);
    const got = b.prepare('SELECT cost_center FROM records ORDER BY correlation_id').pluck().all();
    assert.deepEqual(got, values);
  } finally {
    a.close();
    b.close();
    cleanup();
  }
});

test('openpyxl sees a valid, typed workbook: dates with a visible format, numbers, text, bold frozen header, autofilter, widths, zone note', async () => {
  const { dir, cleanup } = tempDir();
  const db = fileDb(dir, []);
  try {
    const csv = path.join(dir, 'in.csv');
    await writeExport(csv, { rows: 50, seed: 3 });
    await importOne(db, csv);
    const out = path.join(dir, 'typed.xlsx');
    await runXlsxExport(db, request(out, { timeZone: 'Europe/Berlin' }), quiet);
    const [sheet] = openpyxl(out);
    assert.equal(sheet.name, 'Deliveries');
    assert.equal(sheet.maxRow, 51);
    assert.equal(sheet.freeze, 'A2');
    assert.equal(sheet.filter, 'A1:X51');
    assert.ok(sheet.headerBold.every((b) => b));
    assert.deepEqual(
      sheet.cells[0].map((c) => c.value),
      COLUMNS.map((c) => c.header),
    );
    assert.match(sheet.notes.A1 ?? '', /^Time zone: Europe\/Berlin\./);
    assert.match(sheet.notes.V1 ?? '', /^Time zone: Europe\/Berlin\./);
    const row = sheet.cells[1];
    COLUMNS.forEach((c, i) => {
      const cell = row[i];
      if (cell.value === null) return;
      const want = c.kind === 'time' ? 'd' : c.kind === 'integer' ? 'n' : 's';
      assert.equal(cell.type, want, `${c.header} is ${want}`);
      if (c.kind === 'time') {
        assert.equal(cell.isDate, true);
        assert.equal(cell.format, 'yyyy-mm-dd hh:mm:ss');
      }
    });
    // The first record's time, shown in Berlin (UTC+2 in October).
    const first = db
      .prepare('SELECT creation_time_ms FROM records ORDER BY id LIMIT 1')
      .pluck()
      .get() as number;
    const berlin = new Date(first + 2 * 3_600_000).toISOString().slice(0, 19);
    assert.equal(String(row[0].value).slice(0, 19), berlin);
    // Widths follow content: the address column is wider than Version's.
    assert.ok(sheet.widths.C > sheet.widths.U, JSON.stringify(sheet.widths));
  } finally {
    db.close();
    cleanup();
  }
});
