import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows } from '../../bench/generate';
import { COLUMNS } from '../../common/columns';
import { openDatabase } from '../../main/engine/db/open';
import { exportLookup } from '../../main/engine/export/lookup-csv';
import { insertRows, tempDir } from './export-fixture';

const TO = COLUMNS.findIndex((c) => c.id === 'message_to');
let tmp: ReturnType<typeof tempDir>;
let db: Database;
let rows: string[][];

before(() => {
  tmp = tempDir();
  db = openDatabase(path.join(tmp.dir, 'w.sqlite'));
  rows = [...generateRows({ rows: 300, seed: 5 })];
  // A recipient whose address would be a formula in a spreadsheet.
  rows[1][TO] = '=HYPERLINK("x")@evil.test';
  insertRows(db, rows);
});

after(() => {
  db.close();
  tmp.cleanup();
});

test('lookup results are written one line per address, in the order asked, guarded against formulas', async () => {
  const target = path.join(tmp.dir, 'lookup.csv');
  const asked = [rows[0]?.[TO] ?? '', '=HYPERLINK("x")@evil.test', 'nobody@nowhere.invalid'];
  const result = await exportLookup(db, {
    path: target,
    addresses: asked,
    delimiter: ';',
    bom: true,
    formulaGuard: true,
  });
  assert.deepEqual(result, { path: target, rows: 3 });
  const text = readFileSync(target, 'utf8');
  assert.ok(text.startsWith('\ufeffAddress;Records found;Status;'));
  const lines = text.slice(1).trimEnd().split('\r\n');
  assert.equal(lines.length, 4);
  const expectedFound = rows.filter((r) => r[TO]?.toLowerCase() === asked[0]?.toLowerCase()).length;
  assert.ok(lines[1]?.startsWith(`${asked[0]};${expectedFound};`), lines[1]);
  assert.ok(lines[2]?.startsWith(`"'=HYPERLINK(""x"")@evil.test";1;`), lines[2]);
  assert.equal(lines[3], 'nobody@nowhere.invalid;0;;;;;;');
  assert.deepEqual(
    readdirSync(tmp.dir).filter((f) => f.endsWith('.part')),
    [],
    'no temp file left',
  );
});

test('a lookup export never overwrites the workspace and leaves no file when it cannot write', async () => {
  await assert.rejects(
    exportLookup(db, { path: db.name, addresses: ['a@b.c'], delimiter: ',', bom: false, formulaGuard: true }),
    /cannot overwrite the workspace database/,
  );
  const missing = path.join(tmp.dir, 'no-such-folder', 'x.csv');
  await assert.rejects(
    exportLookup(db, { path: missing, addresses: ['a@b.c'], delimiter: ',', bom: false, formulaGuard: true }),
    (err: Error) => err.message.includes('Could not write'),
  );
  assert.equal(existsSync(missing), false);
});
