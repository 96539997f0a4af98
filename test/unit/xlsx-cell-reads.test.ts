/**
 * The sheet reader's in-place shortcuts (14g): a cell's attributes read without slicing the tag,
 * date cells' text composed per day, the five named entities decoded in a loop, and big parts
 * inflated in larger pieces by our own zlib stream. Each must read exactly what the general path or
 * an independent reference reads.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { portalTime } from '../../main/engine/xlsx/dates';
import { decodeEntities } from '../../main/engine/xlsx/scan';
import { WorkbookZip } from '../../main/engine/xlsx/zip';
import { sheetRows, writeZip } from './xlsx-fixture';

/** Attribute forms other writers use: any order, single quotes, extra or prefixed names, spaces. */
const CELLS = [
  `<c s="1" r="A2"><v>46296.5</v></c>`,
  `<c r='B2' t='inlineStr'><is><t>single</t></is></c>`,
  `<c r="C2" cm="1" vm="2" t="b"><v>1</v></c>`,
  `<c  r="D2"\n t="str" ><v>x&amp;y</v></c>`,
  `<c x:r="E2" t="inlineStr"><is><t>prefixed</t></is></c>`,
  `<c r = "F2"><v>7</v></c>`,
  `<c r="G2" t="inline&#83;tr"><is><t>entity type</t></is></c>`,
  `<c r="H2" s="-1"><v>5</v></c>`,
  `<c r="I2" s=""><v>6</v></c>`,
  `<c r="J2" t="e" t="b"><v>0</v></c>`,
  `<c r="2" t="inlineStr"><is><t>no letters</t></is></c>`,
  `<c t="inlineStr" r="M2" ph="1"/>`,
  `<c r="N2" s="1" />`,
  `<c r="O2" s="0001"><v>46296.25</v></c>`,
  `<c r="P2" s="1"><v>-1.5</v></c>`,
];
const SHEET = `<worksheet><sheetData><row r="2">${CELLS.join('')}</row><row r="3"><c r="B3" t="inlineStr"><is><t>a&lt;b&gt;&#65;</t></is></c></row></sheetData></worksheet>`;

test('cells in any attribute form read the same with and without the shortcut, in any two chunks', () => {
  const expected = sheetRows([SHEET], false);
  assert.deepEqual(expected, [
    {
      row: 2,
      cells: [
        '2026-10-01 12:00:00',
        'single',
        'TRUE',
        'x&y',
        'prefixed',
        '7',
        'entity type',
        '5',
        '6',
        '0',
        'no letters',
        '',
        '',
        '',
        '2026-10-01 06:00:00',
        '1899-12-28 12:00:00',
      ],
    },
    { row: 3, cells: ['', 'a<b>A'] },
  ]);
  assert.deepEqual(sheetRows([SHEET], true), expected);
  for (let a = 1; a < SHEET.length; a++)
    assert.deepEqual(sheetRows([SHEET.slice(0, a), SHEET.slice(a)], true), expected, `split at ${a}`);
});

/** The reference: the ISO text of the same instant, as `new Date` reads the number. */
function isoPortal(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.slice(0, 10) + ' ' + iso.slice(11, 19) + (iso.endsWith('.000Z') ? '' : iso.slice(19, 23));
}

test('date text equals the ISO text of the same instant, days in any order (property)', () => {
  const first = Date.UTC(1000, 0, 1);
  const end = Date.UTC(10000, 0, 1);
  const instant = fc.oneof(
    fc.integer({ min: first, max: end - 1 }),
    fc.double({ min: first, max: end - 1, noNaN: true }),
    fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 0, 3) }),
    fc.constantFrom(first, end - 1, 0, -1, -0.5, 1.5, -86_400_000.5, Date.UTC(2024, 1, 29, 23, 59, 59, 999)),
  );
  fc.assert(
    fc.property(fc.array(instant, { minLength: 1, maxLength: 20 }), (list) => {
      for (const ms of list) assert.equal(portalTime(ms), isoPortal(ms), String(ms));
    }),
    { numRuns: 300 },
  );
  // Outside four-digit years the text is what it always was.
  assert.equal(portalTime(Date.UTC(10000, 0, 1)), '10000-01-01 00:00:00');
});

const ENTITY_REF = /&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The reference: one regex over the text, as the reader decoded before. */
function regexDecode(s: string): string {
  return s.replace(ENTITY_REF, (m, e: string) => {
    if (e.startsWith('#')) {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return NAMED[e] ?? m;
  });
}

test('entities decode as the regex reference reads them, in any mix (property)', () => {
  const piece = fc.constantFrom(
    '&lt;',
    '&gt;',
    '&amp;',
    '&quot;',
    '&apos;',
    '&#65;',
    '&#x1F600;',
    '&#x110000;',
    '&bogus;',
    '&toString;',
    '&am;p',
    '&',
    ';',
    'a',
    ' ',
    'ü',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
      const s = pieces.join('');
      assert.equal(decodeEntities(s), regexDecode(s), s);
    }),
    { numRuns: 500 },
  );
});

test('a big part inflated in larger pieces has the bytes yauzl gives; a wrong size is an error', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'di-xlsx-chunks-'));
  try {
    const file = path.join(dir, 'w.xlsx');
    const text = Array.from({ length: 20_000 }, (_, i) => `<row r="${i}">é${i * 7919}</row>`).join('');
    await writeZip(file, [['xl/worksheets/sheet1.xml', text]]);
    const zip = await WorkbookZip.open(file);
    try {
      for (const size of [64, 1024, 96 * 1024]) {
        const parts: Buffer[] = [];
        for await (const c of zip.chunks('xl/worksheets/sheet1.xml', size)) parts.push(c);
        assert.equal(Buffer.concat(parts).toString('utf8'), text, `chunk ${size}`);
        assert.ok(parts.every((c) => c.length <= size));
      }
    } finally {
      zip.close();
    }
    // The central directory's uncompressed size (offset 24 of its entry) off by one either way.
    const bytes = readFileSync(file);
    const cd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const size = bytes.readUInt32LE(cd + 24);
    for (const [wrong, message] of [
      [size - 1, /too many bytes/],
      [size + 1, /not enough bytes/],
    ] as const) {
      const bad = Buffer.from(bytes);
      bad.writeUInt32LE(wrong, cd + 24);
      writeFileSync(file, bad);
      const z = await WorkbookZip.open(file);
      try {
        await assert.rejects(async () => {
          for await (const c of z.chunks('xl/worksheets/sheet1.xml', 4096)) assert.ok(c.length > 0);
        }, message);
      } finally {
        z.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
