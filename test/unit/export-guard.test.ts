import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Papa from 'papaparse';
import { COLUMNS } from '../../common/columns';
import type { ExportRequest } from '../../common/contract';
import { GUARD_SIGN_CODES, GUARD_SKIP_CODES, needsFormulaGuard } from '../../common/formula-guard';
import { generateRows } from '../../bench/generate';
import { formatField, formatLine } from '../../main/engine/export/csv';
import { runExport } from '../../main/engine/export/exporter';
import { exportLookup } from '../../main/engine/export/lookup-csv';
import { validators } from '../../main/ipc/validate';
import { fileDb, tempDir } from './export-fixture';

/**
 * Finding 4 of the hardening review: cells a spreadsheet runs as formulas although they do not start
 * with = + - @ themselves. Each must leave the export with the guard's leading apostrophe, through the
 * JS fast path and through the SQL fallback alike, and with the guard on when nobody asked.
 */
const VARIANTS = [
  '  =1+1',
  '\n=1+1',
  '\r\n+1',
  '\u00a0=cmd|"/c calc"!A1',
  '\u3000=SUM(A1)',
  '\u200b=1+1',
  '\ufeff@SUM(A1)',
  '\u200e\u2066-1',
  '\uff1dHYPERLINK("x")',
  '\uff0b49 30',
  '\uff0d2',
  '\uff20SUM(A1)',
  '\u22122+3',
  ' \u200b\u3000\u00a0+x',
  '\ufe66x',
];
/** Look alike but are text to a spreadsheet: must stay exactly as they are. */
const HARMLESS = ['a=b', '  text', '\u200bword', '\u3000日本', 'x-1', 'user@example.com', ''];

const SMTP = COLUMNS.findIndex((c) => c.id === 'smtp_status_code');
const TENANT = COLUMNS.findIndex((c) => c.id === 'tenant');

function rowsWith(values: readonly string[]): string[][] {
  const rows = [...generateRows({ rows: values.length, seed: 33 })];
  return rows.map((r, i) => {
    const copy = [...r];
    copy[SMTP] = values[i];
    copy[TENANT] = values[(i + 3) % values.length];
    return copy;
  });
}

async function exportText(rows: readonly string[][], over: Partial<ExportRequest>): Promise<string> {
  const { dir, cleanup } = tempDir();
  try {
    const db = fileDb(dir, rows);
    const req: ExportRequest = {
      jobId: 'g',
      path: path.join(dir, 'out.csv'),
      filter: {},
      sort: [],
      delimiter: ',',
      bom: false,
      ...over,
    };
    await runExport(db, req, { signal: new AbortController().signal, onProgress: () => undefined });
    db.close();
    return readFileSync(req.path, 'utf8');
  } finally {
    cleanup();
  }
}

function cells(text: string, column: number): string[] {
  return Papa.parse<string[]>(text, { skipEmptyLines: true, newline: '\r\n' })
    .data.slice(1)
    .map((r) => r[column] ?? '');
}

test('the guard looks past white space and format characters and knows the full-width signs', () => {
  for (const v of VARIANTS) {
    assert.equal(needsFormulaGuard(v), true, JSON.stringify(v));
    const out = formatField(v, ',', true);
    assert.ok(out.startsWith("'") || out.startsWith(`"'`), `${JSON.stringify(v)} -> ${JSON.stringify(out)}`);
  }
  for (const v of HARMLESS) {
    assert.equal(needsFormulaGuard(v), false, JSON.stringify(v));
    assert.equal(formatField(v, ';', true), v);
  }
  // Every sign after every skipped character, one at a time.
  for (const skip of GUARD_SKIP_CODES)
    for (const sign of GUARD_SIGN_CODES)
      assert.ok(
        needsFormulaGuard(`${String.fromCodePoint(skip)}${String.fromCodePoint(sign)}x`),
        `${skip} ${sign}`,
      );
});

test('guard variants are escaped through the JS fast path, with the guard on by default', async () => {
  const rows = rowsWith([...VARIANTS, ...HARMLESS]);
  const text = await exportText(rows, {}); // formulaGuard not given: on
  assert.equal(
    text,
    [
      formatLine(
        COLUMNS.map((c) => c.header),
        ',',
        false,
      ),
      ...rows.map((r) => formatLine(r, ',', true)),
    ]
      .map((l) => `${l}\r\n`)
      .join(''),
  );
  const smtp = cells(text, SMTP);
  for (const v of VARIANTS) assert.ok(smtp.includes(`'${v}`), `${JSON.stringify(v)} guarded`);
  for (const v of HARMLESS) if (v !== '') assert.ok(smtp.includes(v), `${JSON.stringify(v)} unchanged`);
});

test('guard variants are escaped through the SQL fallback the same way, byte for byte', async () => {
  // A U+001F in one value sends the whole export down the per-field SQL path.
  const values = [...VARIANTS, ...HARMLESS, 'unit\x1fseparator'];
  const rows = rowsWith(values);
  for (const delimiter of [',', ';'] as const) {
    const text = await exportText(rows, { delimiter });
    const expected = [
      formatLine(
        COLUMNS.map((c) => c.header),
        delimiter,
        false,
      ),
      ...rows.map((r) => formatLine(r, delimiter, true)),
    ]
      .map((l) => `${l}\r\n`)
      .join('');
    assert.equal(text, expected, `delimiter ${delimiter}`);
  }
  const off = await exportText(rows, { formulaGuard: false });
  assert.deepEqual(cells(off, SMTP), values, 'guard off: exact values');
});

test('random cells: the JS and SQL paths agree with the guard rule (seeded property test)', async () => {
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const alphabet = [...GUARD_SKIP_CODES, ...GUARD_SIGN_CODES, 0x61, 0x31, 0x22, 0x2c, 0x3b, 0x27].map((c) =>
    String.fromCodePoint(c),
  );
  const values: string[] = [];
  for (let i = 0; i < 300; i++) {
    let s = '';
    const len = 1 + rnd(5);
    for (let j = 0; j < len; j++) s += alphabet[rnd(alphabet.length)];
    values.push(s);
  }
  const rows = rowsWith(values);
  const fast = await exportText(rows, {});
  // The same values plus one with U+001F: the whole export takes the SQL path.
  const slow = await exportText(rowsWith([...values, 'x\x1fy']), {});
  const fastCells = cells(fast, SMTP);
  const slowCells = cells(slow, SMTP);
  values.forEach((v, i) => {
    const want = needsFormulaGuard(v) ? `'${v}` : v;
    assert.equal(fastCells[i], want, `fast path ${JSON.stringify(v)}`);
    assert.equal(slowCells[i], want, `SQL path ${JSON.stringify(v)}`);
  });
});

test('lookup files are always guarded, and the IPC validator refuses to turn that off', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const rows = rowsWith(['x']);
    rows[0][COLUMNS.findIndex((c) => c.id === 'message_to')] = '\u200b=HYPERLINK("x")@evil.test';
    const db = fileDb(dir, rows);
    const out = path.join(dir, 'lookup.csv');
    await exportLookup(db, {
      path: out,
      addresses: ['\u200b=HYPERLINK("x")@evil.test', '\uff0b1@x.test'],
      delimiter: ',',
      bom: false,
    });
    db.close();
    const addresses = cells(readFileSync(out, 'utf8'), 0);
    assert.deepEqual(addresses, ['\'\u200b=HYPERLINK("x")@evil.test', "'\uff0b1@x.test"]);
  } finally {
    cleanup();
  }
  const base = { path: '/tmp/l.csv', addresses: ['a@b.c'], delimiter: ',', bom: false };
  assert.throws(() => validators['lookup:export']({ ...base, formulaGuard: false }), /always guarded/);
  assert.equal(validators['lookup:export']({ ...base }).formulaGuard, undefined);
  const exp = { jobId: 'j', path: '/tmp/o.csv', filter: {}, sort: [], delimiter: ',', bom: false };
  assert.equal(
    validators['export:start'](exp).formulaGuard,
    undefined,
    'absent stays absent: the engine default is on',
  );
});

test('in the renderer only the export dialog, through its visible option, can ask for the guard off', () => {
  const root = path.resolve(__dirname, '../../../renderer/src');
  const hits: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && readFileSync(p, 'utf8').includes('formulaGuard'))
        hits.push(path.relative(root, p));
    }
  };
  walk(root);
  assert.deepEqual(hits, [path.join('export', 'ExportDialog.tsx')]);
  const dialog = readFileSync(path.join(root, 'export', 'ExportDialog.tsx'), 'utf8');
  assert.match(dialog, /useState\(true\)/, 'the option starts checked');
  assert.match(dialog, /formulaGuard: guard/, 'the request carries the checkbox state');
  assert.match(dialog, /type="checkbox" checked=\{guard\}/, 'the state is a visible checkbox');
});
