import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateRows } from '../../bench/generate';
import { COLUMNS } from '../../common/columns';
import type { ExportResult } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { exportLookupXlsx } from '../../main/engine/xlsx/lookup';
import { validators } from '../../main/ipc/validate';
import { classifyFiles, safeExportName } from '../../main/shell/files';
import { fileDb, tempDir } from './export-fixture';
import { SAMPLE_INLINE } from './xlsx-fixture';
import { runCli } from './cli-fixture';

const CHECKER = path.join(__dirname, '..', '..', '..', 'test', 'unit', 'xlsx-check.py');
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

test('cli export writes .xlsx for an .xlsx name or --format xlsx, and cli import reads it back', async () => {
  const { dir, cleanup } = tempDir();
  fileDb(dir, generateRows({ rows: 120, seed: 9 })).close();
  const dbFile = path.join(dir, 'ws.sqlite');
  try {
    const byName = path.join(dir, 'bounces.xlsx');
    const r = await runCli(['export', '--db', dbFile, '--out', byName, '--q', 'status:ERROR', '--json']);
    assert.equal(r.code, 0, r.err);
    const result = JSON.parse(r.out) as ExportResult;
    assert.equal(result.sheets, 1);
    assert.equal(result.truncatedCells, 0);
    assert.ok(result.rowsWritten > 0);
    assert.equal(readFileSync(byName).subarray(0, 2).toString('latin1'), 'PK');
    const byFlag = path.join(dir, 'all.dat');
    const f = await runCli([
      'export',
      '--db',
      dbFile,
      '--out',
      byFlag,
      '--format',
      'xlsx',
      '--time-zone',
      'Asia/Tokyo',
    ]);
    assert.equal(f.code, 0, f.err);
    assert.match(f.out, /^Exported 120 rows/);
    const seen = JSON.parse(execFileSync(PYTHON, [CHECKER, byFlag], { encoding: 'utf8' })) as {
      sheets: { notes: Record<string, string> }[];
    };
    assert.match(seen.sheets[0].notes.A1, /^Time zone: Asia\/Tokyo\./);
    const again = path.join(dir, 'again.sqlite');
    const imp = await runCli(['import', '--db', again, byFlag, '--json']);
    assert.equal(imp.code, 0, imp.err);
    const parsed = JSON.parse(imp.out) as { files: { imported: number; sheets: unknown }[] };
    assert.equal(parsed.files[0].imported, 120);
    assert.deepEqual(parsed.files[0].sheets, [{ name: 'Deliveries', imported: true }]);
    const human = await runCli(['import', '--db', again, SAMPLE_INLINE]);
    assert.equal(human.code, 0, human.err);
    assert.match(human.out, /\(Excel workbook; [\d.]+ s\)/);
    assert.match(human.out, /sheet "Info" not imported: This is not a Retarus delivery export/);
    const bad = await runCli(['export', '--db', dbFile, '--out', byName, '--format', 'pdf']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /--format must be csv or xlsx/);
    const zone = await runCli(['export', '--db', dbFile, '--out', byName, '--time-zone', 'Nowhere/City']);
    assert.notEqual(zone.code, 0);
    assert.match(zone.err, /unknown time zone "Nowhere\/City"/);
  } finally {
    cleanup();
  }
});

test('IPC validation: export:start and lookup:export take format and a known time zone only', () => {
  const base = {
    jobId: 'j1',
    path: '/tmp/x.xlsx',
    filter: {},
    sort: [],
    delimiter: ',',
    bom: false,
    formulaGuard: true,
  };
  assert.deepEqual(validators['export:start']({ ...base, format: 'xlsx', timeZone: 'Europe/Berlin' }), {
    ...base,
    format: 'xlsx',
    timeZone: 'Europe/Berlin',
  });
  assert.throws(() => validators['export:start']({ ...base, format: 'xls' }), /args\.format: must be one of/);
  assert.throws(
    () => validators['export:start']({ ...base, timeZone: 'Europe/Atlantis' }),
    /unknown time zone/,
  );
  const lookup = {
    path: '/tmp/l.xlsx',
    addresses: ['a@b.c'],
    delimiter: ',',
    bom: false,
    formulaGuard: true,
  };
  assert.equal(validators['lookup:export']({ ...lookup, format: 'xlsx', timeZone: 'UTC' }).format, 'xlsx');
  assert.throws(() => validators['lookup:export']({ ...lookup, format: 'ods' }), /args\.format/);
});

test('the shell accepts .xlsx from drag-and-drop / open-with and keeps an .xlsx export name', () => {
  const { dir, cleanup } = tempDir();
  try {
    const x = path.join(dir, 'report.XLSX');
    const o = path.join(dir, 'report.ods');
    writeFileSync(x, 'PK');
    writeFileSync(o, 'PK');
    assert.deepEqual(classifyFiles([x, o], dir).imports, [x]);
    assert.equal(safeExportName('address-lookup.xlsx'), 'address-lookup.xlsx');
    assert.equal(safeExportName('records'), 'records.csv');
  } finally {
    cleanup();
  }
});

test('the batch lookup saved as Excel has one typed row per address', async () => {
  const { dir, cleanup } = tempDir();
  const rows = [...generateRows({ rows: 200, seed: 5 })];
  const to = COLUMNS.findIndex((c) => c.id === 'message_to');
  const db = fileDb(dir, rows);
  try {
    const out = path.join(dir, 'lookup.xlsx');
    const addresses = [rows[0][to], 'nobody@example.invalid'];
    const r = await exportLookupXlsx(db, {
      path: out,
      addresses,
      delimiter: ',',
      bom: false,
      formulaGuard: true,
      format: 'xlsx',
    });
    assert.equal(r.rows, 2);
    const seen = JSON.parse(execFileSync(PYTHON, [CHECKER, out], { encoding: 'utf8' })) as {
      sheets: { name: string; cells: { type: string; value: unknown }[][] }[];
    };
    const [sheet] = seen.sheets;
    assert.equal(sheet.name, 'Address lookup');
    assert.equal(sheet.cells[1][0].value, rows[0][to]);
    assert.equal(sheet.cells[1][1].type, 'n');
    assert.ok((sheet.cells[1][1].value as number) >= 1);
    assert.equal(sheet.cells[1][5].type, 'd', 'latest time is a date');
    assert.deepEqual(
      sheet.cells[2].slice(0, 2).map((c) => c.value),
      ['nobody@example.invalid', 0],
    );
  } finally {
    db.close();
    cleanup();
  }
});

test('an .xlsx import leaves the workspace answering queries while it runs', async () => {
  const { dir, cleanup } = tempDir();
  const db = openDatabase(path.join(dir, 'w.sqlite'));
  try {
    const { runImport } = await import('../../main/engine/import/importer');
    let answered = 0;
    const reader = openDatabase(path.join(dir, 'w.sqlite'), { readonly: true });
    const result = await runImport(
      db,
      { jobId: 'x', paths: [SAMPLE_INLINE] },
      {
        signal: new AbortController().signal,
        onProgress: (p) => {
          if (p.phase === 'rows') {
            reader.prepare('SELECT count(*) FROM records').get();
            answered++;
          }
        },
      },
    );
    reader.close();
    assert.equal(result.files[0].imported, 200);
    assert.ok(answered > 0);
  } finally {
    db.close();
    cleanup();
  }
});
