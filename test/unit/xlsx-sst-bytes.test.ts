/**
 * The shared-string table read from its bytes (sst-bytes.ts, 16d) gives the strings the text path
 * (sst-scan.ts over the whole decoded part) gives, for any chunking: plain entries with and without
 * `xml:space`, entities, `_xHHHH_` escapes, multi-byte and invalid UTF-8, rich-text and phonetic
 * entries (handed to the text path), a comment; and a table that spills returns them all.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SharedStrings } from '../../main/engine/xlsx/shared-strings';
import { SstBytes, type StringSink } from '../../main/engine/xlsx/sst-bytes';
import { SstScanner } from '../../main/engine/xlsx/sst-scan';
import { chunksOf } from './xlsx-fixture';

function viaText(bytes: Buffer): string[] {
  const out: string[] = [];
  const s = new SstScanner((x) => out.push(x));
  s.write(new TextDecoder('utf-8').decode(bytes));
  s.end();
  return out;
}

function viaBytes(chunks: readonly Buffer[], sink?: StringSink): string[] {
  const out: string[] = [];
  const r = new SstBytes(
    sink ?? { add: (x) => out.push(x), addBytes: (b, from, to) => out.push(b.toString('utf8', from, to)) },
  );
  for (const c of chunks) r.write(c);
  r.end();
  return out;
}

const TEXT = fc.string({
  unit: fc.constantFrom(
    'a',
    'Z',
    ' ',
    '_',
    'x',
    'ä',
    '€',
    '😀',
    '&amp;',
    '&lt;',
    '&#x41;',
    '_x0041_',
    '_x005F_',
    '>',
  ),
  maxLength: 10,
});
const ENTRY = fc.oneof(
  { weight: 6, arbitrary: TEXT.map((t) => `<si><t>${t}</t></si>`) },
  { weight: 3, arbitrary: TEXT.map((t) => `<si><t xml:space="preserve">${t}</t></si>`) },
  {
    weight: 1,
    arbitrary: fc.tuple(TEXT, TEXT).map(([a, b]) => `<si><r><t>${a}</t></r><r><t>${b}</t></r></si>`),
  },
  { weight: 1, arbitrary: TEXT.map((t) => `<si><t>${t}</t><rPh><t>ふ</t></rPh></si>`) },
  { weight: 1, arbitrary: TEXT.map((t) => `<si><t>${t}</t></si><!-- c -->`) },
  { weight: 1, arbitrary: TEXT.map((t) => `<si><t a="1">${t}</t></si>`) },
);
const HEAD = '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="urn:x" count="9">';

test('the bytes path gives the text path strings for any table and chunking', () => {
  fc.assert(
    fc.property(
      fc.array(ENTRY, { maxLength: 14 }),
      fc.array(fc.nat(), { maxLength: 10 }),
      (entries, cuts) => {
        const bytes = Buffer.from(`${HEAD}${entries.join('')}</sst>\n`, 'utf8');
        assert.deepEqual(viaBytes(chunksOf(bytes, cuts)), viaText(bytes));
      },
    ),
    { numRuns: 400 },
  );
});

test('invalid UTF-8 inside an entry is replaced as the text path replaces it', () => {
  const bytes = Buffer.concat([
    Buffer.from('<sst><si><t>a', 'utf8'),
    Buffer.from([0xe2, 0x82]),
    Buffer.from('</t></si><si><t>', 'utf8'),
    Buffer.from([0xff, 0x41, 0xf0, 0x9f, 0x98]),
    Buffer.from('</t></si></sst>', 'utf8'),
  ]);
  const want = viaText(bytes);
  for (let a = 0; a <= bytes.length; a++) assert.deepEqual(viaBytes(chunksOf(bytes, [a])), want, `cut ${a}`);
});

test('a part cut off inside an entry is an error', () => {
  assert.throws(() => viaBytes([Buffer.from('<sst><si><t>abc</t></s', 'utf8')]), /middle of an element/);
});

test('a spilling table returns every string added as bytes or as text', () => {
  fc.assert(
    fc.property(fc.array(ENTRY, { maxLength: 30 }), fc.integer({ min: 0, max: 400 }), (entries, budget) => {
      const bytes = Buffer.from(`<sst>${entries.join('')}</sst>`, 'utf8');
      const table = new SharedStrings(budget);
      try {
        viaBytes([bytes], table);
        const want = viaText(bytes);
        assert.equal(table.count, want.length);
        want.forEach((s, i) => assert.equal(table.get(i), s, `entry ${i}`));
      } finally {
        table.close();
      }
    }),
    { numRuns: 150 },
  );
});
