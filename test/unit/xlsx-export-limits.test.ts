/** The .xlsx export at its limits: cells cut at 32,767 characters, sheets continued, cancel, the zip. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { writeExport } from '../../bench/generate';
import { COLUMN_IDS, COLUMNS } from '../../common/columns';
import { runXlsxExport } from '../../main/engine/xlsx/export';
import { MAX_CELL_CHARS, TRUNCATION_MARKER, XlsxWriter } from '../../main/engine/xlsx/writer';
import { fileDb, tempDir } from './export-fixture';
import { importOne, openpyxl, quiet, request } from './xlsx-export-fixture';

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
