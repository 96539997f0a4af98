/**
 * The shared-string table and the sheet cells have shortcuts for their usual forms (sst-scan.ts,
 * SheetParser.fast). Whatever the form and however the text is split into chunks, they must read
 * exactly what the general tag-by-tag scanner reads; these tests compare the two.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { XmlScanner } from '../../main/engine/xlsx/scan';
import { SstScanner } from '../../main/engine/xlsx/sst-scan';
import { sheetRows } from './xlsx-fixture';

/** The reference: every `<si>`'s `<t>` runs outside phonetic runs, read by the general scanner. */
function referenceStrings(xml: string): string[] {
  const out: string[] = [];
  let text = '';
  let rPh = 0;
  const h = {
    wantText: false,
    open: (n: string) => {
      if (n === 't') h.wantText = rPh === 0;
      else if (n === 'rPh') rPh++;
      else if (n === 'si') text = '';
    },
    close: (n: string) => {
      if (n === 't') h.wantText = false;
      else if (n === 'rPh') rPh--;
      else if (n === 'si')
        out.push(
          text.replace(/_x([0-9a-fA-F]{4})_/g, (_m, x: string) => String.fromCharCode(parseInt(x, 16))),
        );
    },
    text: (s: string) => {
      text += s;
    },
  };
  const sc = new XmlScanner(h);
  sc.write(xml);
  sc.end();
  return out;
}

function fastStrings(chunks: readonly string[]): string[] {
  const out: string[] = [];
  const sc = new SstScanner((s) => out.push(s));
  for (const c of chunks) sc.write(c);
  sc.end();
  return out;
}

const HEAD =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="urn:main" count="9" uniqueCount="9">';
const ENTRIES = [
  '<si><t>plain</t></si>',
  '<si><t xml:space="preserve"> spaced </t></si>',
  '<si><t>&lt;5.1.1&gt; &amp; &#x1F600; M&#252;ller</t></si>',
  '<si><t>a_x000D_b_x005F_x0041_</t></si>',
  '<si><t/></si>',
  '<si><r><rPr><b/></rPr><t>rich </t></r><r><t>text</t></r></si>',
  '<si><t>漢字</t><rPh sb="0" eb="1"><t>かんじ</t></rPh></si>',
  '<si>\n  <t>pretty</t>\n</si>',
  '<si><t></t></si>',
];

test('plain, spaced, escaped, rich-text and phonetic entries read as the general scanner reads them', () => {
  const xml = `${HEAD}${ENTRIES.join('\n')}</sst>`;
  const expected = referenceStrings(xml);
  assert.equal(expected.length, ENTRIES.length);
  assert.deepEqual(fastStrings([xml]), expected);
  assert.deepEqual(expected.slice(0, 5), ['plain', ' spaced ', '<5.1.1> & 😀 Müller', 'a\rb_x0041_', '']);
  assert.deepEqual(expected.slice(5, 7), ['rich text', '漢字']);
});

test('a prefixed root, a comment or CDATA hand the rest to the general scanner with the same result', () => {
  const docs = [
    `<?xml version="1.0"?><x:sst xmlns:x="urn:main"><x:si><x:t>one</x:t></x:si><x:si><x:t>two</x:t></x:si></x:sst>`,
    `${HEAD}<si><t>before</t></si><!-- <si><t>not an entry</t></si> --><si><t>after</t></si></sst>`,
    `${HEAD}<si><t>a</t></si><si><t><![CDATA[</si> & <b>]]></t></si><si><t>c</t></si></sst>`,
    `${HEAD}<si><t>a</t></si><extLst><ext uri="x"><y/></ext></extLst></sst>`,
  ];
  for (const xml of docs) {
    const expected = referenceStrings(xml);
    assert.deepEqual(fastStrings([xml]), expected, xml);
    for (let a = 1; a < xml.length; a++)
      assert.deepEqual(fastStrings([xml.slice(0, a), xml.slice(a)]), expected, `split at ${a}`);
  }
  assert.deepEqual(referenceStrings(docs[2]), ['a', '</si> & <b>', 'c']);
});

test('any chunking of any table reads the same strings (property)', () => {
  const entry = fc.oneof(
    fc.string({ maxLength: 12 }).map((s) => `<si><t>${s.replace(/[<&]/g, '')}</t></si>`),
    fc.constantFrom(...ENTRIES),
  );
  fc.assert(
    fc.property(fc.array(entry, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 6 }), (entries, cuts) => {
      const xml = `${HEAD}${entries.join('')}</sst>`;
      const points = [...new Set(cuts.map((c) => c % (xml.length + 1)))].sort((a, b) => a - b);
      const chunks: string[] = [];
      let from = 0;
      for (const p of points) {
        chunks.push(xml.slice(from, p));
        from = p;
      }
      chunks.push(xml.slice(from));
      assert.deepEqual(fastStrings(chunks), referenceStrings(xml));
    }),
    { numRuns: 300 },
  );
});

test('a table cut off inside an entry is an error', () => {
  assert.throws(() => fastStrings([`${HEAD}<si><t>cut`]), /ends in the middle/);
});

const SHEET =
  '<?xml version="1.0"?><worksheet xmlns="urn:main"><dimension ref="A1:E3"/><sheetData>' +
  '<row r="1"><c r="A1" t="inlineStr"><is><t>Status</t></is></c><c r="C1" t="inlineStr"><is><t xml:space="preserve"> Time </t></is></c></row>' +
  '<row r="2"><c r="A2" t="inlineStr"><is><t>&lt;a&amp;b&gt; _x0009_</t></is></c><c r="B2" s="1"><v>46296.5</v></c>' +
  '<c r="C2"><v>5.1</v></c><c r="D2" t="b"><v>1</v></c><c r="E2" s="1"/><c r="F2"><f>1+1</f><v>2</v></c></row>' +
  '<row r="3"><c r="B3" t="inlineStr"><is><r><t>ri</t></r><r><t>ch</t></r></is></c><c r="C3" t="str"><v>x</v></c>' +
  '<c r="D3">\n<v>7</v>\n</c><c r="E3" t="inlineStr"><is><t>a</t><rPh><t>b</t></rPh></is></c><c r="F3"></c></row>' +
  '</sheetData><mergeCells count="0"/></worksheet>';

test('sheet cells read the same with and without the shortcut, in any two chunks', () => {
  const expected = sheetRows([SHEET], false);
  assert.deepEqual(expected, [
    { row: 1, cells: ['Status', '', ' Time '] },
    { row: 2, cells: ['<a&b> \t', '2026-10-01 12:00:00', '5.1', 'TRUE', '', '2'] },
    { row: 3, cells: ['', 'rich', 'x', '7', 'a', ''] },
  ]);
  assert.deepEqual(sheetRows([SHEET], true), expected);
  for (let a = 1; a < SHEET.length; a++) {
    assert.deepEqual(sheetRows([SHEET.slice(0, a), SHEET.slice(a)], true), expected, `split at ${a}`);
  }
});
