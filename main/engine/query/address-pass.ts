/**
 * The address map's pass (address-memory.ts): the records whose address is one of a term's
 * vocabulary ids, in one loop over the map.
 *
 * Why a range and not only a bitmap: the vocabulary's addresses are numbered in value order by its
 * first build (search-index.ts inserts them GROUP BY the address), so the addresses holding a word
 * are often one run of ids or a few close ones (`jane` at 5M rows: its 339 568 address ids are
 * exactly one run, 1..4 075 718 being the addresses). The test is then one subtraction and one
 * compare per record, and the bitmap (where one is needed) covers only the ids between the lowest and
 * the highest, so a record outside that range never reads it. Measured at 5M rows on a copy of the
 * shared case, under load (~11 on 2 cores), the same map and ids, alternating: the bitmap over every
 * id 151-366 ms, one run 95-124 ms.
 */

/**
 * Ids (ascending) of the records 1..coverage whose `vid` entry is one of `vids` (vocabulary ids,
 * from 1; 0 in the map is a record without an address).
 */
export function recordsOfAddresses(
  vid: Uint32Array,
  coverage: number,
  vids: readonly number[] | Uint32Array,
): Uint32Array {
  let lo = Infinity;
  let hi = 0;
  for (const v of vids)
    if (v > 0) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  if (hi === 0) return new Uint32Array(0);
  const span = hi - lo + 1;
  const bits = new Uint32Array((span >>> 5) + 1);
  let distinct = 0;
  for (const v of vids) {
    if (v <= 0) continue;
    const d = v - lo;
    const bit = 1 << (d & 31);
    if ((bits[d >>> 5] & bit) === 0) distinct++;
    bits[d >>> 5] |= bit;
  }
  // Every id of the range is one of them: no bitmap read at all.
  const run = distinct === span;
  const last = Math.min(coverage, vid.length - 1);
  // One pass into growing chunks, then joined: an array sized for every record would cost more to
  // fault in than the loop, and counting first made two passes (5M records, ~570k hits, synthetic,
  // 8 alternating runs under load: best 70-110 -> 34-54 ms).
  const chunks: Uint32Array[] = [];
  let chunk = new Uint32Array(1 << 16);
  let n = 0;
  for (let id = 1; id <= last; id++) {
    // Unsigned: an id below `lo` (and 0, no address) wraps past the span.
    const d = (vid[id] - lo) >>> 0;
    if (d < span && (run || (bits[d >>> 5] & (1 << (d & 31))) !== 0)) {
      if (n === chunk.length) {
        chunks.push(chunk);
        chunk = new Uint32Array(Math.min(2 * chunk.length, 1 << 20));
        n = 0;
      }
      chunk[n++] = id;
    }
  }
  chunks.push(chunk.subarray(0, n));
  const out = new Uint32Array(chunks.reduce((k, c) => k + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
