/**
 * The spilled shared strings' offsets live in fixed chunks of 32-bit offsets relative to each chunk's
 * start, widened to 64 bits for a chunk whose strings pass the narrow range. Small layouts here (and
 * 16-bit chunks, widened after 64 KiB) put chunk edges, widened chunks and block edges of the spill
 * file under every random table.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SharedStrings, type OffsetLayout } from '../../main/engine/xlsx/shared-strings';

function readBack(strings: readonly string[], budget: number, layout: OffsetLayout, order: number[]): void {
  const table = new SharedStrings(budget, layout);
  try {
    for (const s of strings) table.add(s);
    assert.equal(table.count, strings.length);
    for (const i of order) assert.equal(table.get(i), strings[i], `string ${i}`);
    assert.equal(table.get(strings.length), undefined);
    assert.equal(table.get(-1), undefined);
  } finally {
    table.close();
  }
}

test('spilled strings read back exactly across offset chunks, widened chunks and spill blocks', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constant(''),
    // Over the 1 MiB spill block in UTF-8: read apart from the block cache.
    fc.nat({ max: 3 }).map((n) => 'ä€'.repeat(200_000 + n)),
  );
  fc.assert(
    fc.property(
      fc.array(text, { maxLength: 60 }),
      fc.nat({ max: 400 }),
      fc.integer({ min: 1, max: 9 }),
      fc.constantFrom(Uint16Array, Uint32Array),
      fc.nat(),
      (strings, budget, chunk, narrow, seed) => {
        const order = strings
          .map((_, i) => i)
          .sort((a, b) => ((a * 7919 + seed) % 61) - ((b * 7919 + seed) % 61));
        readBack(strings, budget, { chunk, narrow }, order);
      },
    ),
    { numRuns: 150 },
  );
});

test('the default layout: more strings than one chunk holds, all spilled', () => {
  const strings = Array.from({ length: 150_000 }, (_, i) => `addr-${i}@exämple.com`);
  readBack(
    strings,
    0,
    { chunk: 1 << 16, narrow: Uint32Array },
    [0, 1, 65_535, 65_536, 65_537, 131_071, 131_072, 149_999, 70_000, 3],
  );
});
