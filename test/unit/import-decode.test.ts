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

test('invalid UTF-8 after ASCII chunks still fails a strict decoder, also when cut at the end', () => {
  const d = new ChunkDecoder('utf-8', true);
  assert.equal(d.decode(Buffer.from('plain ascii\n'), false), 'plain ascii\n');
  assert.throws(() => d.decode(Buffer.from([0x41, 0xe4, 0x42]), false), TypeError);
  const cut = new ChunkDecoder('utf-8', true);
  cut.decode(Buffer.from([0x41, 0xc3]), false);
  assert.throws(() => cut.decode(Buffer.alloc(0), true), TypeError);
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
