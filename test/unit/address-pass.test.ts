/**
 * The address map's pass (address-pass.ts) and the id lists' sort (id-lists.ts) against brute force:
 * vocabulary ids as one run, runs with gaps, scattered, repeated, out of order, 0 (no address) in
 * the map and among the ids, a coverage past the map's end; sortedDistinct on ascending, repeated
 * and unordered lists of both kinds; the pass over a map held in chunks (address-kept-pass.ts) as the
 * pass over the whole map, and null for a chunk missing or short. The end-to-end searches through the map are
 * query-address-memory.test.ts and cli-kept-memories.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { recordsOfChunks } from '../../main/engine/query/address-kept-pass';
import { recordsOfAddresses } from '../../main/engine/query/address-pass';
import { sortedDistinct } from '../../main/engine/query/id-lists';

/** The records 1..coverage (within the map) whose entry is one of `vids`, by a set. */
function brute(vid: Uint32Array, coverage: number, vids: readonly number[]): number[] {
  const wanted = new Set(vids.filter((v) => v > 0));
  const out: number[] = [];
  for (let id = 1; id <= coverage && id < vid.length; id++) if (wanted.has(vid[id])) out.push(id);
  return out;
}

const run = (lo: number, n: number): number[] => Array.from({ length: n }, (_, i) => lo + i);

test('one run, a run with a gap, its ends, 0 and ids outside the map', () => {
  // Entries 0..12 (record 0 is never one), with 0 = no address.
  const vid = Uint32Array.from([0, 5, 6, 7, 0, 4, 8, 9, 5, 3, 10, 7, 1]);
  const cases: [number[], number][] = [
    [run(5, 3), 12], // 5, 6, 7: one run, no bitmap read
    [[5, 7], 12], // a gap: 6 must not count
    [[7, 6, 5, 6], 12], // out of order and repeated: still one run
    [[4], 12],
    [[1, 10], 12], // the ends of the span only
    [[0, 5], 12], // 0 is no vocabulary id: records without an address stay out
    [[0], 12],
    [[0, 5, 7], 12], // 0 among the ids does not make 5..7 a run
    [[], 12],
    [[11, 12], 12], // above every entry
    [run(5, 3), 5], // the coverage cuts the pass
    [run(1, 10), 40], // a coverage past the map's end reads no entry beyond it
  ];
  for (const [vids, coverage] of cases)
    assert.deepEqual(
      [...recordsOfAddresses(vid, coverage, vids)],
      brute(vid, coverage, vids),
      `${JSON.stringify(vids)} up to ${coverage}`,
    );
});

test('any map and any ids: the records a set lookup finds (fast-check)', () => {
  const ids = fc.oneof(
    // A run of consecutive ids (the vocabulary's addresses holding a word, in value order).
    fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 30 })).map(([lo, n]) => run(lo, n)),
    // Several runs, maybe overlapping, with gaps between them.
    fc
      .array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 6 })), { maxLength: 5 })
      .map((rs) => rs.flatMap(([lo, n]) => run(lo, n))),
    // Scattered, repeated, unordered, with 0.
    fc.array(fc.integer({ min: 0, max: 70 }), { maxLength: 40 }),
  );
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 64 }), { minLength: 1, maxLength: 300 }),
      ids,
      fc.integer({ min: 0, max: 320 }),
      (entries, vids, coverage) => {
        const vid = Uint32Array.from(entries);
        assert.deepEqual([...recordsOfAddresses(vid, coverage, vids)], brute(vid, coverage, vids));
      },
    ),
    { numRuns: 500 },
  );
});

test('more hits than a first chunk holds come back whole and in order', () => {
  const n = 200_000;
  const vid = new Uint32Array(n + 1);
  for (let id = 1; id <= n; id++) vid[id] = 1 + (id % 7);
  for (const vids of [run(2, 3), [2, 4, 6]]) {
    const got = recordsOfAddresses(vid, n, vids);
    assert.deepEqual([...got], brute(vid, n, vids), JSON.stringify(vids));
  }
});

test('sortedDistinct: ascending without duplicates, as a sort and a set give it (fast-check)', () => {
  const expected = (a: readonly number[]): number[] => [...new Set(a)].sort((x, y) => x - y);
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 300 }),
      fc.boolean(),
      fc.boolean(),
      (list, presorted, wide) => {
        const input = presorted ? expected(list) : list;
        const ids = wide ? Float64Array.from(input) : Uint32Array.from(input);
        assert.deepEqual([...sortedDistinct(ids)], expected(list));
      },
    ),
    { numRuns: 500 },
  );
  // Sparse (the comparison sort) and dense (the byte map) lists, both kinds.
  for (const list of [
    [9_000_000, 3, 3, 1],
    [5, 4, 4, 3, 2, 1, 0],
    [1, 2, 2, 3],
  ])
    for (const make of [(a: number[]) => Uint32Array.from(a), (a: number[]) => Float64Array.from(a)])
      assert.deepEqual([...sortedDistinct(make(list))], expected(list), JSON.stringify(list));
});

test('the pass over a map in chunks finds what the pass over the whole map does (fast-check)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 2, maxLength: 200 }),
      fc.array(fc.integer({ min: 0, max: 45 }), { maxLength: 30 }),
      fc.integer({ min: 1, max: 70 }),
      fc.integer({ min: 0, max: 20 }),
      (entries, vids, perChunk, cut) => {
        const vid = Uint32Array.from(entries);
        const upto = Math.max(1, vid.length - 1 - cut);
        const chunkOf = (k: number): Uint32Array | null =>
          k * perChunk < vid.length ? vid.slice(k * perChunk, (k + 1) * perChunk) : null;
        const got = recordsOfChunks(chunkOf, upto, perChunk, vids);
        assert.ok(got !== null);
        assert.deepEqual([...got], brute(vid, upto, vids));
        assert.deepEqual([...got], [...recordsOfAddresses(vid, upto, vids)]);
        // A chunk missing or shorter than the bound needs: no answer, not a partial one.
        const last = Math.floor(upto / perChunk);
        const missing = (k: number): Uint32Array | null => (k === last ? null : chunkOf(k));
        const short = (k: number): Uint32Array | null =>
          k === last ? vid.slice(k * perChunk, upto) : chunkOf(k);
        assert.equal(recordsOfChunks(missing, upto, perChunk, [...vids, 1]), null);
        assert.equal(recordsOfChunks(short, upto, perChunk, [...vids, 1]), null);
      },
    ),
    { numRuns: 500 },
  );
});
