import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Papa from 'papaparse';
import { COLUMNS } from '../../common/columns';
import type { ExportRequest } from '../../common/contract';
import { generateRows } from '../../bench/generate';
import { formatField, formatLine } from '../../main/engine/export/csv';
import { runExport } from '../../main/engine/export/exporter';
import { fileDb, tempDir } from './export-fixture';

/** Values a spreadsheet or a naive CSV writer gets wrong. */
const TRICKY = [
  '=HYPERLINK("http://evil.example","click")',
  '+49 30 1234',
  '-2+3',
  '@SUM(A1:A9)',
  '\tindented',
  '\rcarriage',
  'a "quoted" word',
  'semi;colon',
  'comma, here',
  'line one\nline two',
  'crlf\r\ninside',
  'Müller Ärger 😀',
  "'already quoted",
  ' leading space',
];

/** Generated rows with one tricky value per row in the SMTP text and Tenant columns. */
function trickyRows(extra: readonly string[] = []): string[][] {
  const values = [...TRICKY, ...extra];
  const rows = [...generateRows({ rows: values.length * 3, seed: 21 })];
  return rows.map((r, i) => {
    const copy = [...r];
    copy[10] = values[i % values.length];
    copy[16] = values[(i + 5) % values.length];
    return copy;
  });
}

async function exportText(rows: readonly string[][], over: Partial<ExportRequest>): Promise<string> {
  const { dir, cleanup } = tempDir();
  try {
    const db = fileDb(dir, rows);
    const req: ExportRequest = {
      jobId: 'f',
      path: path.join(dir, 'out.csv'),
      filter: {},
      sort: [],
      delimiter: ',',
      bom: false,
      formulaGuard: true,
      ...over,
    };
    await runExport(db, req, { signal: new AbortController().signal, onProgress: () => undefined });
    db.close();
    return readFileSync(req.path, 'utf8');
  } finally {
    cleanup();
  }
}

function expected(rows: readonly string[][], delimiter: ',' | ';', guard: boolean, bom: boolean): string {
  const header = formatLine(
    COLUMNS.map((c) => c.header),
    delimiter,
    false,
  );
  return (
    (bom ? '\uFEFF' : '') +
    [header, ...rows.map((r) => formatLine(r, delimiter, guard))].map((l) => `${l}\r\n`).join('')
  );
}

test('formula guard: cells starting with = + - @ tab or CR get a leading quote, then CSV quoting', () => {
  assert.equal(formatField('=1+1', ',', true), "'=1+1");
  assert.equal(formatField('+49 30', ',', true), "'+49 30");
  assert.equal(formatField('-2', ',', true), "'-2");
  assert.equal(formatField('@SUM(A1)', ',', true), "'@SUM(A1)");
  assert.equal(formatField('\tx', ',', true), "'\tx");
  assert.equal(formatField('\rx', ',', true), `"'\rx"`);
  assert.equal(formatField('=HYPERLINK("a","b")', ',', true), `"'=HYPERLINK(""a"",""b"")"`);
  assert.equal(formatField('a=b', ',', true), 'a=b');
  assert.equal(formatField('=1+1', ',', false), '=1+1');
  assert.equal(formatField('x;y', ',', false), 'x;y');
  assert.equal(formatField('x;y', ';', false), '"x;y"');
  assert.equal(formatField('x,y', ';', false), 'x,y');
});

test('guard on: every tricky value is escaped and parses back with its leading quote', async () => {
  const rows = trickyRows();
  const text = await exportText(rows, { formulaGuard: true });
  assert.equal(text, expected(rows, ',', true, false));
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true }).data.slice(1);
  const smtp = parsed.map((r) => r[10]);
  assert.ok(smtp.includes('\'=HYPERLINK("http://evil.example","click")'));
  assert.ok(smtp.includes("'@SUM(A1:A9)"));
  assert.ok(smtp.includes("'\tindented"));
  assert.ok(smtp.includes("'-2+3"));
  assert.ok(smtp.every((v) => !/^[=+\-@\t\r]/.test(v ?? '')));
});

test('guard off: tricky values round-trip exactly through a CSV parser', async () => {
  const rows = trickyRows();
  const text = await exportText(rows, { formulaGuard: false });
  assert.equal(text, expected(rows, ',', false, false));
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true, newline: '\r\n' }).data;
  assert.deepEqual(parsed.slice(1), rows);
});

test('semicolon delimiter and UTF-8 BOM', async () => {
  const rows = trickyRows();
  const text = await exportText(rows, { delimiter: ';', bom: true, formulaGuard: false });
  assert.equal(text, expected(rows, ';', false, true));
  assert.equal(text.charCodeAt(0), 0xfeff);
  assert.ok(text.startsWith('\uFEFFCreation Time;Message From;'));
  const parsed = Papa.parse<string[]>(text.slice(1), {
    delimiter: ';',
    skipEmptyLines: true,
    newline: '\r\n',
  }).data;
  assert.deepEqual(parsed.slice(1), rows);
});

test('a value containing U+001F takes the per-field SQL path and still comes out exact', async () => {
  const rows = trickyRows(['unit\x1fseparator']);
  for (const delimiter of [',', ';'] as const) {
    for (const guard of [true, false]) {
      const text = await exportText(rows, { delimiter, formulaGuard: guard });
      assert.equal(text, expected(rows, delimiter, guard, false), `${delimiter} guard=${guard}`);
    }
  }
});

test('NULLs export as empty cells and integers as their digits', async () => {
  const rows = [...generateRows({ rows: 40, seed: 2 })];
  rows[0] = rows[0]?.map((v, i) => (i === 0 || i === 2 || i === 7 ? v : '')) ?? [];
  const text = await exportText(rows, { formulaGuard: false });
  const lines = text.split('\r\n');
  assert.equal(lines[1], formatLine(rows[0] ?? [], ',', false));
  assert.match(lines[2] ?? '', new RegExp(`,${rows[1]?.[6]},`));
});
