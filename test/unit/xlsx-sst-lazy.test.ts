/**
 * The import worker reads the shared-string table as the sheet refers to it (SharedStrings.open /
 * more, SheetParser.fill) instead of all of it before the first row. Rows must be those of the table
 * read first, whatever the chunking, the spill budget, the order of first use, a cell written over
 * another in its row, or an index the table does not have; and a table damaged past the strings the
 * sheet uses still fails the import.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { SharedStrings } from '../../main/engine/xlsx/shared-strings';
import { readSheet } from '../../main/engine/xlsx/sheet';
import { columnLetters, escapeText } from '../../main/engine/xlsx/xml';
import { WorkbookZip } from '../../main/engine/xlsx/zip';
import { importFiles, workspace } from './import-fixture';
import { dataRow, HEADER_ROW, sheetXml, writeWorkbook, writeZip } from './xlsx-fixture';

const SST = 'xl/sharedStrings.xml';
const SHEET = 'xl/worksheets/sheet1.xml';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

interface Read {
  readonly rows: { row: number; cells: string[] }[];
  readonly error: string | null;
  /** Table state when the first row was handed on (lazy reads only). */
  readonly firstRow: { loading: boolean; count: number } | null;
}

async function readBook(file: string, lazy: boolean, budget: number, chunk: number): Promise<Read> {
  const zip = await WorkbookZip.open(file);
  const strings = new SharedStrings(budget);
  const rows: { row: number; cells: string[] }[] = [];
  let firstRow: Read['firstRow'] = null;
  let error: string | null = null;
  try {
    if (lazy) strings.open(zip, SST, chunk);
    else await strings.load(zip, SST, Infinity, chunk);
    const ctx = { strings, dateStyles: [], date1904: false, zone: null };
    await readSheet(zip.chunks(SHEET, chunk), ctx, (row, cells) => {
      firstRow ??= lazy ? { loading: strings.loading, count: strings.count } : null;
      rows.push({ row, cells: [...cells] });
    });
    await strings.more(Infinity);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  } finally {
    strings.close();
    zip.close();
  }
  return { rows, error, firstRow };
}

function entry(s: string, rich: boolean): string {
  // A rich-text entry sends the rest of the table down the text path (sst-bytes.ts hands over).
  if (rich && s.length > 1)
    return `<si><r><t xml:space="preserve">${escapeText(s.slice(0, 1))}</t></r><r><t xml:space="preserve">${escapeText(s.slice(1))}</t></r></si>`;
  return `<si><t xml:space="preserve">${escapeText(s)}</t></si>`;
}

type Cell = { readonly col: number; readonly v: { s: number } | { n: number } };

function sheetOf(rows: readonly (readonly Cell[])[]): string {
  const xml = rows.map((cells, r) => {
    const body = cells.map(({ col, v }) => {
      const ref = `${columnLetters(col)}${r + 1}`;
      return 's' in v ? `<c r="${ref}" t="s"><v>${v.s}</v></c>` : `<c r="${ref}"><v>${v.n}</v></c>`;
    });
    return `<row r="${r + 1}">${body.join('')}</row>`;
  });
  return sheetXml(xml.join(''));
}

async function writeBook(
  file: string,
  strings: readonly string[],
  richAt: number,
  sheet: string,
): Promise<void> {
  const body = strings.map((s, i) => entry(s, i === richAt)).join('');
  await writeZip(file, [
    [SHEET, sheet],
    [SST, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}">${body}</sst>`],
  ]);
}

test('rows read beside the table equal rows read after the whole table, in any chunking and budget', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'di-sst-lazy-'));
  let n = 0;
  try {
    const text = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.constantFrom('', 'a&b<c>', '_x000D_', 'ä€'.repeat(40)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(text, { minLength: 1, maxLength: 300 }),
        fc.array(
          fc.array(
            fc.record({
              col: fc.nat({ max: 6 }),
              // Mostly shared strings, some past the table's end (an error either way), some numbers.
              v: fc.oneof(
                { weight: 8, arbitrary: fc.nat({ max: 1000 }).map((s) => ({ s })) },
                { weight: 1, arbitrary: fc.integer().map((x) => ({ n: x })) },
              ),
            }),
            { maxLength: 8 },
          ),
          { maxLength: 40 },
        ),
        fc.boolean(),
        fc.integer({ min: -1, max: 300 }),
        fc.constantFrom(0, 300, 1 << 20),
        fc.constantFrom(64, 200, 4096),
        async (strings, rawRows, firstUse, richAt, budget, chunk) => {
          // Indices mostly within the table; in order of first use (as Excel numbers them) or anywhere.
          const rows = rawRows.map((cells, r) =>
            cells.map((c, k) => {
              if (!('s' in c.v)) return c;
              const s = firstUse ? Math.min(r * 8 + k, c.v.s) % (strings.length + 1) : c.v.s;
              return { col: c.col, v: { s: s < strings.length || c.v.s % 7 === 0 ? s : s % strings.length } };
            }),
          );
          const file = path.join(dir, `b${n++}.xlsx`);
          await writeBook(file, strings, richAt, sheetOf(rows));
          const eager = await readBook(file, false, budget, chunk);
          const lazy = await readBook(file, true, budget, chunk);
          assert.equal(lazy.error, eager.error);
          if (eager.error === null) assert.deepEqual(lazy.rows, eager.rows);
          rmSync(file);
        },
      ),
      { numRuns: 120 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a cell written over a waiting one in its row wins, as it did with the table read first', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'di-sst-lazy-'));
  try {
    const file = path.join(dir, 'over.xlsx');
    const strings = Array.from({ length: 5000 }, (_, i) => `value ${i}`);
    // Row 1 refers to the table's last strings, so its cells wait while the table is read on.
    const rows: Cell[][] = [
      [
        { col: 0, v: { s: 4999 } },
        { col: 1, v: { s: 4998 } },
        { col: 0, v: { n: 7 } },
        { col: 1, v: { s: 3 } },
        { col: 2, v: { s: 4997 } },
        { col: 2, v: { s: 4996 } },
      ],
    ];
    await writeBook(file, strings, -1, sheetOf(rows));
    // 4 KiB: the row is parsed in one piece (all its cells wait together); 64 bytes: cell by cell.
    for (const chunk of [4096, 64]) {
      const eager = await readBook(file, false, 1 << 20, chunk);
      const lazy = await readBook(file, true, 1 << 20, chunk);
      assert.deepEqual(eager.rows, [{ row: 1, cells: ['7', 'value 3', 'value 4996'] }]);
      assert.deepEqual(lazy.rows, eager.rows, `chunk ${chunk}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the first row is handed on before the table is read to its end', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'di-sst-lazy-'));
  try {
    const file = path.join(dir, 'first.xlsx');
    const strings = Array.from({ length: 50_000 }, (_, i) => `user${i}@example.org`);
    const rows: Cell[][] = Array.from({ length: 10_000 }, (_, r) =>
      [0, 1, 2, 3, 4].map((k) => ({ col: k, v: { s: r * 5 + k } })),
    );
    await writeBook(file, strings, -1, sheetOf(rows));
    const lazy = await readBook(file, true, 0, 16 * 1024);
    assert.equal(lazy.error, null);
    assert.equal(lazy.rows.length, 10_000);
    assert.deepEqual(lazy.rows[9_999].cells, strings.slice(49_995));
    assert.ok(lazy.firstRow?.loading === true, 'the table was still being read');
    assert.ok((lazy.firstRow?.count ?? Infinity) < strings.length / 2, `read ${lazy.firstRow?.count}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a table damaged past the strings the sheet uses still fails the import', async () => {
  const w = workspace();
  try {
    const file = path.join(w.dir, 'cut.xlsx');
    const row = (r: number): string =>
      dataRow(r, {}).replace(
        /<c r="([A-Z]+\d+)" t="inlineStr"><is><t>[^<]*<\/t><\/is><\/c>/,
        '<c r="$1" t="s"><v>0</v></c>',
      );
    await writeWorkbook(file, {
      sheets: [{ name: 'Report', xml: sheetXml(HEADER_ROW + row(2) + row(3)) }],
      // The entry the sheet uses, more than the probe reads (10 000), then one cut off in the middle.
      sharedStrings: `<si><t>first@example.org</t></si>${'<si><t>unused</t></si>'.repeat(12_000)}<si><t>cut`,
    });
    const f = (await importFiles(w.db, [file])).files[0];
    assert.match(f.error ?? '', /ends in the middle of an element/);
  } finally {
    w.cleanup();
  }
});
