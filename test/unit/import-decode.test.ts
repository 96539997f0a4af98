import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChunkDecoder } from '../../main/engine/import/decode';

/** Decodes `chunks` in order, then the empty final read, as the parse worker does. */
function decodeAll(d: ChunkDecoder, chunks: readonly Buffer[]): string {
  return chunks.map((c) => d.decode(c, false)).join('') + d.decode(Buffer.alloc(0), true);
}

test('a character split across chunks is decoded whole, also when the next chunk is plain ASCII', () => {
  const bytes = Buffer.from('Grüße,Müller\n', 'utf8');
  const cut = bytes.indexOf(0xc3) + 1; // inside the two-byte "ü"
  const d = new ChunkDecoder('utf-8', true);
  assert.equal(decodeAll(d, [bytes.subarray(0, cut), bytes.subarray(cut)]), 'Grüße,Müller\n');
  const tail = Buffer.from('ä', 'utf8');
  const d2 = new ChunkDecoder('utf-8', true);
  assert.equal(
    decodeAll(d2, [Buffer.from('ab'), tail.subarray(0, 1), tail.subarray(1), Buffer.from('cd')]),
    'abäcd',
  );
});

test('an invalid byte in UTF-8 text becomes one listed U+FFFD with its file offset; the text around it is exact', () => {
  const d = new ChunkDecoder('utf-8', true);
  assert.equal(d.decode(Buffer.from('Grüße\n', 'utf8'), false), 'Grüße\n');
  const chunk = Buffer.concat([Buffer.from('M'), Buffer.from([0xfc]), Buffer.from('ller,€\n', 'utf8')]);
  assert.equal(d.decode(chunk, false), 'M\ufffdller,€\n');
  assert.deepEqual(d.invalid, [{ char: 1, byte: 9, value: 0xfc }]); // 'Grüße\n' is 8 bytes, then 'M'
  assert.equal(d.encoding, 'utf-8', 'UTF-8 was seen before: the file stays UTF-8');
  const cut = new ChunkDecoder('utf-8', false);
  cut.decode(Buffer.from([0x41, 0xc3]), false);
  assert.equal(cut.decode(Buffer.alloc(0), true), '\ufffd', 'a character cut by the end of the file');
  assert.deepEqual(cut.invalid, [{ char: 0, byte: 1, value: 0xc3 }]);
});

test('detected UTF-8 that meets a Windows-1252 byte after plain ASCII switches without a second pass', () => {
  const d = new ChunkDecoder('utf-8', true);
  assert.equal(d.decode(Buffer.from('plain ascii\n'), false), 'plain ascii\n');
  assert.equal(d.decode(Buffer.from('M\xfcller \x80\n', 'latin1'), false), 'Müller €\n');
  assert.equal(d.encoding, 'windows-1252');
  assert.equal(d.switchedAt, 13);
  assert.deepEqual(d.invalid, []);
  assert.equal(d.contradiction, false);
  // UTF-8 after the switch means the file was UTF-8 with a stray byte: the importer reads it again.
  d.decode(Buffer.from('Grüße\n', 'utf8'), false);
  assert.equal(d.contradiction, true);
});

test('a chosen encoding never switches, and a CESU surrogate counts as UTF-8 gone wrong, not Windows-1252', () => {
  const forced = new ChunkDecoder('utf-8', false);
  assert.equal(forced.decode(Buffer.from('a\xe9b', 'latin1'), false), 'a\ufffdb');
  assert.equal(forced.encoding, 'utf-8');
  const cesu = new ChunkDecoder('utf-8', true);
  const text = cesu.decode(Buffer.from([0x61, 0xed, 0xa0, 0x80, 0x62]), false);
  assert.equal(text, 'a\ufffd\ufffd\ufffdb');
  assert.equal(cesu.encoding, 'utf-8');
  assert.deepEqual(
    cesu.invalid.map((b) => b.byte),
    [1, 2, 3],
  );
});

test('a BOM is removed at the start of the file only; U+FEFF inside the file is kept', () => {
  const d = new ChunkDecoder('utf-8', true);
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  assert.equal(decodeAll(d, [Buffer.concat([bom, Buffer.from('a,b\n')])]), 'a,b\n');
  const later = new ChunkDecoder('utf-8', true);
  assert.equal(
    decodeAll(later, [Buffer.from('a,b\n'), Buffer.concat([bom, Buffer.from('c')])]),
    'a,b\n\ufeffc',
  );
});

test('Windows-1252 chunks decode umlauts and the euro sign; ASCII chunks pass unchanged', () => {
  const d = new ChunkDecoder('windows-1252', false);
  assert.equal(
    decodeAll(d, [Buffer.from('M\xfcller ', 'latin1'), Buffer.from([0x80]), Buffer.from(' ok')]),
    'Müller € ok',
  );
});
