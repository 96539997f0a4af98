/**
 * The token dictionary's build in windows (word-tokens-build.ts): the postings placed window by window,
 * for any window size, are per token exactly the ids whose value holds it (brute force over tokensOf),
 * none lost, none twice; tokens spanning many windows; values without tokens; gaps in the ids; numbers
 * of more than one byte in the list.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  collectTokens,
  placeWindow,
  postingsLength,
  tokensOf,
  type TokenCollection,
} from '../../main/engine/query/word-tokens-build';

/** Per token (as the collection numbers them), the ids of the values holding it, ascending: brute force. */
function brutePostings(c: TokenCollection, rows: readonly (readonly [number, string])[]): number[][] {
  const tokens = c.text.split('\n').slice(0, -1);
  const byToken = new Map<string, number[]>(tokens.map((t) => [t, []]));
  for (const [id, value] of rows)
    for (const t of tokensOf(value)) {
      const ids = byToken.get(t);
      assert.ok(ids !== undefined, `token ${t} of ${value} collected`);
      ids.push(id);
    }
  return tokens.map((t) => byToken.get(t) ?? []);
}

/** The postings of every window of `size` joined, cut per token by the offsets. */
function windowedPostings(c: TokenCollection, size: number): number[][] {
  const total = postingsLength(c);
  const all: number[] = [];
  for (let lo = 0; lo < total; lo += size) all.push(...placeWindow(c, lo, Math.min(total, lo + size)));
  assert.equal(all.length, total);
  return Array.from({ length: c.offsets.length - 1 }, (_, k) => all.slice(c.offsets[k], c.offsets[k + 1]));
}

test('postings placed window by window equal brute force for any window size', () => {
  const value = fc
    .array(fc.constantFrom('a', 'b', 'B', 'c', 'ä', '1', '.', ' ', '@'), { maxLength: 12 })
    .map((cs) => cs.join(''));
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 1, max: 300 }), value), { maxLength: 80 }),
      fc.integer({ min: 1, max: 40 }),
      (steps, size) => {
        let id = 0;
        const rows = steps.map(([step, v]) => [(id += step), v] as const);
        const c = collectTokens(rows);
        assert.deepEqual(windowedPostings(c, size), brutePostings(c, rows));
      },
    ),
    { numRuns: 300 },
  );
});

test('a token in every value spans many windows; token numbers and id steps of several bytes', () => {
  // 21 251 distinct tokens (numbers up to three bytes), ids stepping by up to 70 001 (three bytes).
  let id = 0;
  const rows = Array.from({ length: 20_000 }, (_, i) => {
    id += i % 97 === 0 ? 70_001 : 1 + (i % 3);
    return [id, `Common.t${i}.u${i >> 4}`] as const;
  });
  const c = collectTokens(rows);
  assert.equal(c.offsets.length - 1, 1 + 20_000 + 1250);
  const brute = brutePostings(c, rows);
  assert.equal(brute[0].length, 20_000, 'common is token 0, in every value');
  for (const size of [997, 4096, postingsLength(c)]) assert.deepEqual(windowedPostings(c, size), brute);
});

test('values without tokens leave no entry; ids must ascend', () => {
  const rows = [
    [2, '...'],
    [5, ''],
    [9, 'x.y'],
    [12, '@@'],
    [13, 'Y'],
  ] as const;
  const c = collectTokens(rows);
  assert.equal(c.text, 'x\ny\n');
  assert.deepEqual([...placeWindow(c, 0, postingsLength(c))], [9, 9, 13]);
  assert.throws(() => collectTokens([[0, 'x']]));
  assert.throws(() =>
    collectTokens([
      [3, 'x'],
      [3, 'y'],
    ]),
  );
});
