import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { SharedStrings } from '../../main/engine/xlsx/shared-strings';
import { WorkbookZip } from '../../main/engine/xlsx/zip';
import { count, doneImports, importFiles, record, workspace } from './import-fixture';
import { dataRow, HEADER_ROW, SAMPLE_INLINE, SAMPLE_SHARED, sheetXml, writeWorkbook } from './xlsx-fixture';

const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number): number =>
  Date.UTC(y, mo - 1, d, h, mi, s);

for (const sample of [SAMPLE_INLINE, SAMPLE_SHARED]) {
  test(`imports the sample written by another tool: ${path.basename(sample)}`, async () => {
    const w = workspace();
    try {
      const r = await importFiles(w.db, [sample]);
      const f = r.files[0];
      assert.equal(f.error, undefined);
      assert.equal(f.imported, 200);
      assert.equal(f.rejected, 0);
      assert.equal(count(w.db, 'records'), 200);
      assert.deepEqual(
        f.sheets?.map((s) => [s.name, s.imported]),
        [
          ['Delivery report', true],
          ['Info', false],
        ],
      );
      assert.match(
        f.sheets?.[1]?.reason ?? '',
        /^This is not a Retarus delivery export: none of its columns \("Report", "Delivery report, 200 rows, written by op…"\) is a known export column\. Expected a header line naming the export's columns: Creation Time \(required\)/,
      );
      // Row 2: a date cell (custom format dd.mm.yyyy hh:mm:ss), to the second, in UTC.
      const first = record(w.db, 'db5b5fab-8f4d-3e27-dda1-494c73cf256d');
      assert.equal(first.creation_time_ms, utc(2026, 10, 19, 6, 17, 23));
      assert.equal(first.creation_time, '2026-10-19 06:17:23');
      assert.equal(first.meta_data_creation_time_ms, utc(2026, 10, 19, 6, 17, 23));
      assert.equal(first.message_size, 791564);
      assert.equal(first.version, 1);
      assert.equal(first.job_id, 'J7294919105');
      assert.equal(first.smtp_status_code, null);
      // K5: rich text in two runs, joined; the 5.1.1 code stays text.
      const k5 = w.db
        .prepare('SELECT smtp_status_code, smtp_enhanced, line FROM records WHERE line = 5')
        .get();
      assert.deepEqual(k5, {
        smtp_status_code: '550 5.1.1 mailbox unavailable',
        smtp_enhanced: '5.1.1',
        line: 5,
      });
      assert.equal(f.timezoneAssumed, 'UTC');
    } finally {
      w.cleanup();
    }
  });
}

test('both samples hold the same records: the second import finds only duplicates', async () => {
  const w = workspace();
  try {
    const r = await importFiles(w.db, [SAMPLE_SHARED, SAMPLE_INLINE]);
    assert.equal(r.files[1].imported, 0);
    assert.equal(r.files[1].duplicates, 200);
  } finally {
    w.cleanup();
  }
});

test('a shared-string table over the memory budget spills to disk and reads back the same strings', async () => {
  const zip = await WorkbookZip.open(SAMPLE_SHARED);
  const inMemory = new SharedStrings();
  const spilled = new SharedStrings(2000);
  try {
    await inMemory.load(zip, 'xl/sharedStrings.xml');
    await spilled.load(zip, 'xl/sharedStrings.xml');
    assert.equal(inMemory.spilledCount, 0);
    assert.ok(spilled.spilledCount > 700, `spilled ${spilled.spilledCount}`);
    assert.equal(spilled.count, inMemory.count);
    // Random order, so reads cross the block cache both ways.
    const order = [...Array(inMemory.count).keys()].sort((a, b) => ((a * 7919) % 853) - ((b * 7919) % 853));
    for (const i of order) assert.equal(spilled.get(i), inMemory.get(i), `string ${i}`);
    assert.equal(spilled.get(inMemory.count), undefined);
    assert.ok(
      order.some((i) => spilled.get(i) === '550 5.1.1 mailbox unavailable'),
      'rich text joined',
    );
  } finally {
    inMemory.close();
    spilled.close();
    zip.close();
  }
});

test('reads escapes, rich text without phonetic runs, omitted cells by reference, 1904 dates and custom formats, parts in any order', async () => {
  const w = workspace();
  try {
    const file = path.join(w.dir, 'crafted.xlsx');
    // Row 2: shared strings with _x000D_ escape and a literal "_x005F_x0041_"; a rich-text si with a
    // phonetic run; the cells are given out of the usual order and several are left out.
    const sst =
      '<si><t>line_x000D_two</t></si>' +
      '<si><t>under_x005F_x0041_score</t></si>' +
      '<si><r><t>550 </t></r><r><rPr><b/></rPr><t>5.1.1</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>';
    const row2 =
      '<row r="2"><c r="M2" t="inlineStr"><is><t>corr-2</t></is></c>' +
      '<c r="A2" s="1"><v>44000.5</v></c><c r="K2" t="s"><v>2</v></c><c r="J2" t="s"><v>0</v></c>' +
      '<c r="L2" t="s"><v>1</v></c><c r="G2" t="inlineStr"><is><t>2048</t></is></c>' +
      '<c r="N2"><v>1234567890</v></c><c r="O2" t="inlineStr"><is><t>5.1.1</t></is></c>' +
      '<c r="H2" t="inlineStr"><is><t>OK</t></is></c><c r="I2" t="inlineStr"><is><t>DELIVERED</t></is></c></row>';
    // Row 5 (rows 3-4 left out): a time in a custom format with quoted text and [h]; booleans as text.
    const row5 = dataRow(5, { creation_time: 44000.25, campaign_id: '<c r="S5" t="b"><v>1</v></c>' }, 2);
    await writeWorkbook(file, {
      sheets: [{ name: 'Report', xml: sheetXml(HEADER_ROW + row2 + row5) }],
      sharedStrings: sst,
      xfs: [0, 22, 165],
      numFmts: { 165: '"at" [h]:mm dd/mm/yyyy' },
      date1904: true,
      reversed: true,
    });
    const r = await importFiles(w.db, [file]);
    assert.equal(r.files[0].error, undefined);
    assert.equal(r.files[0].imported, 2);
    const a = record(w.db, 'corr-2');
    // 1904 system: serial 44000.5 = 1904-01-01 + 44000.5 days.
    assert.equal(a.creation_time_ms, Date.UTC(1904, 0, 1) + 44000.5 * 86_400_000);
    // An escaped CR (_x000D_) survives; Status Details is an enum column, so it is stored in its
    // folded spelling and the cell's own text is kept for export.
    assert.equal(a.status_details, 'LINE\rTWO');
    assert.equal((JSON.parse(String(a.raw_values)) as Record<string, string>).status_details, 'line\rtwo');
    assert.equal(a.reference_job, 'under_x0041_score');
    assert.equal(a.smtp_status_code, '550 5.1.1');
    assert.equal(a.message_size, 2048, 'a number stored as text');
    assert.equal(a.job_id, '1234567890', 'a number cell in a text column keeps its digits');
    assert.equal(a.cost_center, '5.1.1', 'a code like 5.1.1 stays text');
    assert.equal(a.message_from, null, 'a left-out cell is empty');
    const b = record(w.db, 'corr-5');
    assert.equal(b.line, 5);
    assert.equal(b.creation_time_ms, Date.UTC(1904, 0, 1) + 44000.25 * 86_400_000);
    assert.equal(b.campaign_id, 'TRUE');
  } finally {
    w.cleanup();
  }
});

test('bad rows are rejected with the sheet name and row number; good rows of every export sheet are kept', async () => {
  const w = workspace();
  try {
    const file = path.join(w.dir, 'two-sheets.xlsx');
    const bad = dataRow(3, { creation_time: 'yesterday', correlation_id: 'corr-bad' });
    const badSize = dataRow(4, { message_size: '12 kB' });
    await writeWorkbook(file, {
      sheets: [
        {
          name: 'Notes',
          xml: sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>Read me</t></is></c></row>'),
        },
        { name: 'January', xml: sheetXml(HEADER_ROW + dataRow(2, {}) + bad + badSize) },
        { name: 'February', xml: sheetXml(HEADER_ROW + dataRow(2, { correlation_id: 'feb-2' })) },
        { name: 'Empty', xml: sheetXml('') },
      ],
      xfs: [0, 22],
    });
    const f = (await importFiles(w.db, [file])).files[0];
    assert.equal(f.error, undefined);
    assert.equal(f.imported, 2);
    assert.equal(f.rejected, 2);
    assert.deepEqual(
      f.errors.map((e) => [e.line, e.column, e.reason]),
      [
        [3, 'Creation Time', 'sheet "January", row 3: unparsable timestamp "yesterday"'],
        [4, 'Message Size', 'sheet "January", row 4: not a whole number: "12 kB"'],
      ],
    );
    assert.deepEqual(
      f.sheets?.map((s) => [s.name, s.imported]),
      [
        ['Notes', false],
        ['January', true],
        ['February', true],
        ['Empty', false],
      ],
    );
    assert.equal(f.sheets?.[3].reason, 'the sheet is empty');
    record(w.db, 'feb-2');
  } finally {
    w.cleanup();
  }
});

test('a workbook without any export sheet fails whole and names its sheets', async () => {
  const w = workspace();
  try {
    const file = path.join(w.dir, 'other.xlsx');
    await writeWorkbook(file, {
      sheets: [
        {
          name: 'Budget',
          xml: sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>Cost</t></is></c></row>'),
        },
      ],
    });
    const f = (await importFiles(w.db, [file])).files[0];
    assert.match(f.error ?? '', /^No sheet of this workbook is a Retarus delivery export\. sheet "Budget": /);
    assert.equal(doneImports(w.db), 0, 'nothing stored (the failure is in the history)');
  } finally {
    w.cleanup();
  }
});

test('password-protected workbooks and .xls files fail with a message saying what to do', async () => {
  const w = workspace();
  try {
    const cfb = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(cfb);
    const xls = path.join(w.dir, 'old.xls');
    Buffer.from('Workbook', 'utf16le').copy(cfb, 1024);
    writeFileSync(xls, cfb);
    const enc = path.join(w.dir, 'locked.xlsx');
    Buffer.from('EncryptionInfo', 'utf16le').copy(cfb, 2048);
    writeFileSync(enc, cfb);
    const [a, b] = (await importFiles(w.db, [xls, enc])).files;
    assert.match(
      a.error ?? '',
      /^old\.xls is an old Excel \.xls \(BIFF\) workbook, which cannot be read\. .*save it as "Excel Workbook \(\.xlsx\)"/,
    );
    assert.match(
      b.error ?? '',
      /^locked\.xlsx is a password-protected Excel workbook, which cannot be read\. .*remove the password/,
    );
    const broken = path.join(w.dir, 'broken.xlsx');
    writeFileSync(broken, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100)]));
    const c = (await importFiles(w.db, [broken])).files[0];
    assert.match(c.error ?? '', /zip structure is damaged/);
    assert.equal(doneImports(w.db), 0, 'nothing stored (the failure is in the history)');
  } finally {
    w.cleanup();
  }
});

test('the format is detected by content: a workbook named .csv imports as a workbook', async () => {
  const w = workspace();
  try {
    const file = path.join(w.dir, 'report.csv');
    await writeWorkbook(file, {
      sheets: [{ name: 'S', xml: sheetXml(HEADER_ROW + dataRow(2, {})) }],
      xfs: [0, 22],
    });
    const f = (await importFiles(w.db, [file])).files[0];
    assert.equal(f.error, undefined);
    assert.equal(f.imported, 1);
  } finally {
    w.cleanup();
  }
});

test('cancel during a workbook import stores nothing', async () => {
  const w = workspace();
  try {
    const ac = new AbortController();
    const r = await importFiles(w.db, [SAMPLE_SHARED], {
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase === 'rows') ac.abort();
      },
    });
    assert.equal(r.cancelled, true);
    assert.equal(count(w.db, 'records'), 0);
    assert.equal(doneImports(w.db), 0, 'nothing stored (the failure is in the history)');
  } finally {
    w.cleanup();
  }
});
