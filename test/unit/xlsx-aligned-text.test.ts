/**
 * A big part's bytes decoded cut at element ends (aligned-text.ts, 16d) give the same text, and a
 * sheet read through it the same rows and a shared-string table the same strings, however the bytes
 * arrive in chunks: splits inside multi-byte characters, inside tags, chunks without any '>', invalid
 * UTF-8 at the end.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AlignedDecoder } from '../../main/engine/xlsx/aligned-text';
import { readSheet, type CellContext } from '../../main/engine/xlsx/sheet';
import { SstScanner } from '../../main/engine/xlsx/sst-scan';
import { chunksOf } from './xlsx-fixture';

function decodeAll(chunks: readonly Buffer[], marker: string): { text: string; pieces: string[] } {
  const d = new AlignedDecoder(marker);
  const pieces = chunks.map((c) => d.write(c));
  pieces.push(d.end());
  return { text: pieces.join(''), pieces };
}

const PIECES = ['<row r="1">', '</row>', '<c r="A1">', '</c>', 'ä', 'ß€', '😀', 'x>y', ' ', 'plain text'];

test('the decoded text is the whole text for any chunking, split characters included', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      (parts, cuts) => {
        const bytes = Buffer.from(parts.join(''), 'utf8');
        const { text, pieces } = decodeAll(chunksOf(bytes, cuts), '</row>');
        assert.equal(text, parts.join(''));
        // Every piece but the last ends at a cut after '>' or is a whole chunk's text with none.
        for (const p of pieces.slice(0, -1)) if (p.includes('>')) assert.ok(p.endsWith('>'), p);
      },
    ),
  );
});

test('invalid UTF-8 is replaced as one decoder over the whole part replaces it', () => {
  const bytes = Buffer.concat([
    Buffer.from('<row>a</row>ab', 'utf8'),
    Buffer.from([0xe2, 0x82]),
    Buffer.from('>c', 'utf8'),
    Buffer.from([0xf0, 0x9f]),
  ]);
  const whole = new TextDecoder('utf-8').decode(bytes);
  for (let a = 0; a <= bytes.length; a++)
    for (let b = a; b <= bytes.length; b++)
      assert.equal(decodeAll(chunksOf(bytes, [a, b]), '</row>').text, whole, `cuts ${a} ${b}`);
});

test('the carried tail is a copy: a chunk reused by its producer does not change the text', () => {
  const d = new AlignedDecoder('</row>');
  const chunk = Buffer.from('<row>1</row><row>2', 'utf8');
  let text = d.write(chunk);
  chunk.fill(0x78);
  text += d.write(Buffer.from('</row>', 'utf8')) + d.end();
  assert.equal(text, '<row>1</row><row>2</row>');
});

const CTX: CellContext = { strings: null, dateStyles: [false, true], date1904: false, zone: null };

function sheetXml(rows: readonly (readonly string[])[]): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = rows
    .map(
      (cells, r) =>
        `<row r="${r + 2}">` +
        cells
          .map(
            (v, c) =>
              `<c r="${String.fromCharCode(65 + c)}${r + 2}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`,
          )
          .join('') +
        '</row>',
    )
    .join('');
  return `<?xml version="1.0"?><worksheet><sheetData>${body}</sheetData></worksheet>`;
}

async function rowsOf(chunks: readonly Buffer[]): Promise<string[][]> {
  const out: string[][] = [];
  await readSheet(chunks, CTX, (_row, cells) => {
    out.push([...cells]);
  });
  return out;
}

const CELL = fc.string({ unit: fc.constantFrom('a', 'ö', '€', '😀', '<', '>', '&', ' ', '_'), maxLength: 8 });

test('a sheet read in any chunking gives the rows of its whole text', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(CELL, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 10 }),
      async (rows, cuts) => {
        const bytes = Buffer.from(sheetXml(rows), 'utf8');
        assert.deepEqual(await rowsOf(chunksOf(bytes, cuts)), await rowsOf([bytes]));
        assert.deepEqual(
          await rowsOf([bytes]),
          rows.map((r) => [...r]),
        );
      },
    ),
    { numRuns: 200 },
  );
});

test('a shared-string table read in any chunking gives the same strings', () => {
  fc.assert(
    fc.property(fc.array(CELL, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 10 }), (strings, cuts) => {
      const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      const xml = `<?xml version="1.0"?><sst>${strings.map((s) => `<si><t>${esc(s)}</t></si>`).join('')}</sst>`;
      const got: string[] = [];
      const scanner = new SstScanner((s) => got.push(s));
      const d = new AlignedDecoder('</si>');
      for (const c of chunksOf(Buffer.from(xml, 'utf8'), cuts)) scanner.write(d.write(c));
      scanner.write(d.end());
      scanner.end();
      assert.deepEqual(got, strings);
    }),
    { numRuns: 200 },
  );
});
