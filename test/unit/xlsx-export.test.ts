import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { writeExport } from '../../bench/generate';
import { COLUMN_IDS, COLUMNS } from '../../common/columns';
import type { ExportRequest } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { runImport } from '../../main/engine/import/importer';
import { runXlsxExport } from '../../main/engine/xlsx/export';
import { MAX_CELL_CHARS, TRUNCATION_MARKER, XlsxWriter } from '../../main/engine/xlsx/writer';
import { fileDb, tempDir } from './export-fixture';

const quiet = { signal: new AbortController().signal, onProgress: () => undefined };
const CHECKER = path.join(__dirname, '..', '..', '..', 'test', 'unit', 'xlsx-check.py');
// Debian's python3 (where python3-openpyxl installs), not whatever python3 comes first on PATH.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

interface CheckedCell {
  type: string;
  isDate: boolean;
  format: string;
  value: string | number | boolean | null;
}
interface CheckedSheet {
  name: string;
  maxRow: number;
  freeze: string | null;
  filter: string | null;
  headerBold: boolean[];
  notes: Record<string, string>;
  widths: Record<string, number>;
  cells: CheckedCell[][];
}

/** openpyxl's view of the file; fails (never skips) when openpyxl is missing: .ci/run installs it. */
function openpyxl(file: string, rows = 5): CheckedSheet[] {
  const out = execFileSync(PYTHON, [CHECKER, file, String(rows)], { encoding: 'utf8' });
  return (JSON.parse(out) as { sheets: CheckedSheet[] }).sheets;
}

function request(out: string, extra: Partial<ExportRequest> = {}): ExportRequest {
  return {
    jobId: 'x',
    path: out,
    filter: {},
    sort: [],
    delimiter: ',',
    bom: false,
    formulaGuard: true,
    format: 'xlsx',
    ...extra,
  };
}

async function importOne(db: Database, file: string): Promise<void> {
  const r = await runImport(db, { jobId: 'i', paths: [file] }, quiet);
  assert.equal(r.files[0].error, undefined);
  assert.equal(r.files[0].rejected, 0);
}

/** Every stored value that the round trip compares: text columns as text, times as ms. */
function records(db: Database): unknown[][] {
  const cols = COLUMNS.map((c) => (c.kind === 'time' ? `${c.id}_ms` : c.id));
  return db
    .prepare(`SELECT ${cols.join(', ')} FROM records ORDER BY line`)
    .raw()
    .all() as unknown[][];
}

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

test('cells over 32,767 characters are cut with a marker and counted', async () => {
  const { dir, cleanup } = tempDir();
  const long = 'y'.repeat(40_000);
  const rows = [
    COLUMNS.map((c) => (c.kind === 'time' ? '2026-10-01 10:00:00' : c.id === 'status_details' ? long : '1')),
  ];
  const db = fileDb(dir, rows);
  try {
    const out = path.join(dir, 'long.xlsx');
    const res = await runXlsxExport(db, request(out), quiet);
    assert.equal(res.truncatedCells, 1);
    const cell = openpyxl(out)[0].cells[1][COLUMN_IDS.indexOf('status_details')];
    assert.equal(typeof cell.value, 'string');
    assert.equal(String(cell.value).length, MAX_CELL_CHARS);
    assert.ok(String(cell.value).endsWith(TRUNCATION_MARKER));
  } finally {
    db.close();
    cleanup();
  }
});

test('rows past a sheet limit continue on the next sheet, each with header, filter and frozen row', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const out = path.join(dir, 'split.xlsx');
    const chunks: Buffer[] = [];
    const w = new XlsxWriter(
      (c) => {
        chunks.push(c);
        return Promise.resolve();
      },
      {
        columns: [
          { header: 'Creation Time', type: 'time' },
          { header: 'Correlation ID', type: 'text' },
        ],
        sheetName: 'Deliveries',
        timeZone: 'UTC',
        rowsPerSheet: 3,
      },
    );
    for (let i = 0; i < 7; i++) await w.addRow([Date.UTC(2026, 0, 1, 0, 0, i), `c${i}`]);
    const summary = await w.finish();
    writeFileSync(out, Buffer.concat(chunks));
    assert.deepEqual(summary, { rows: 7, sheets: 3, truncatedCells: 0 });
    const sheets = openpyxl(out, 10);
    assert.deepEqual(
      sheets.map((s) => [s.name, s.maxRow, s.filter, s.freeze]),
      [
        ['Deliveries', 4, 'A1:B4', 'A2'],
        ['Deliveries 2', 4, 'A1:B4', 'A2'],
        ['Deliveries 3', 2, 'A1:B2', 'A2'],
      ],
    );
    assert.deepEqual(
      sheets.flatMap((s) => s.cells.slice(1).map((r) => r[1].value)),
      ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6'],
    );
    assert.equal(sheets[2].cells[0][1].value, 'Correlation ID');
  } finally {
    cleanup();
  }
});

test('a cancelled .xlsx export leaves neither the file nor a temp file', async () => {
  const { dir, cleanup } = tempDir();
  const db = fileDb(dir, []);
  try {
    const csv = path.join(dir, 'in.csv');
    await writeExport(csv, { rows: 6000, seed: 5 });
    await importOne(db, csv);
    const ac = new AbortController();
    const out = path.join(dir, 'cancelled.xlsx');
    await assert.rejects(
      runXlsxExport(db, request(out), {
        signal: ac.signal,
        // The first event comes before any row; waiting for a later one raced a fast machine, where
        // 6,000 rows are written before the next timed report.
        onProgress: () => ac.abort(),
      }),
      (err: Error & { code?: string }) => err.code === 'CANCELLED',
    );
    assert.equal(existsSync(out), false);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('cancelled')),
      [],
    );
    await assert.rejects(
      runXlsxExport(db, request(out, { timeZone: 'Mars/Olympus' }), quiet),
      /Unknown time zone "Mars\/Olympus"/,
    );
  } finally {
    db.close();
    cleanup();
  }
});

test('the workbook starts with the zip signature and names its parts as Excel expects', async () => {
  const { dir, cleanup } = tempDir();
  const db = fileDb(dir, []);
  try {
    const out = path.join(dir, 'empty.xlsx');
    const res = await runXlsxExport(db, request(out), quiet);
    assert.equal(res.rowsWritten, 0);
    const bytes = readFileSync(out);
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004');
    const [sheet] = openpyxl(out);
    assert.equal(sheet.maxRow, 1, 'header only');
  } finally {
    db.close();
    cleanup();
  }
});
