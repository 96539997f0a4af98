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

/** The test of an address id against a term's vocabulary ids: a range, and a bitmap unless they are one run. */
export interface AddressTest {
  readonly lo: number;
  readonly span: number;
  /** Every id of the range is one of them: no bitmap read at all. */
  readonly run: boolean;
  readonly bits: Uint32Array;
}

/** The test for `vids` (vocabulary ids, from 1); null when none is above 0. */
export function addressTest(vids: readonly number[] | Uint32Array): AddressTest | null {
  let lo = Infinity;
  let hi = 0;
  for (const v of vids)
    if (v > 0) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  if (hi === 0) return null;
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
  return { lo, span, run: distinct === span, bits };
}

/**
 * The ids passing a test, collected into growing chunks and joined at the end: an array sized for
 * every record would cost more to fault in than the loop, and counting first made two passes (5M
 * records, ~570k hits, synthetic, 8 alternating runs under load: best 70-110 -> 34-54 ms).
 */
export class AddressHits {
  private readonly chunks: Uint32Array[] = [];
  private chunk = new Uint32Array(1 << 16);
  private n = 0;

  /** Adds the ids `first + i` for i in [from, to) whose `vid[i]` passes `t`, ascending after those added before. */
  scan(vid: Uint32Array, from: number, to: number, first: number, t: AddressTest): void {
    const { lo, span, run, bits } = t;
    let chunk = this.chunk;
    let n = this.n;
    for (let i = from; i < to; i++) {
      // Unsigned: an id below `lo` (and 0, no address) wraps past the span.
      const d = (vid[i] - lo) >>> 0;
      if (d < span && (run || (bits[d >>> 5] & (1 << (d & 31))) !== 0)) {
        if (n === chunk.length) {
          this.chunks.push(chunk);
          chunk = new Uint32Array(Math.min(2 * chunk.length, 1 << 20));
          n = 0;
        }
        chunk[n++] = first + i;
      }
    }
    this.chunk = chunk;
    this.n = n;
  }

  /** The ids collected, in one array. */
  join(): Uint32Array {
    const all = [...this.chunks, this.chunk.subarray(0, this.n)];
    const out = new Uint32Array(all.reduce((k, c) => k + c.length, 0));
    let at = 0;
    for (const c of all) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/**
 * Ids (ascending) of the records 1..coverage whose `vid` entry is one of `vids` (vocabulary ids,
 * from 1; 0 in the map is a record without an address).
 */
export function recordsOfAddresses(
  vid: Uint32Array,
  coverage: number,
  vids: readonly number[] | Uint32Array,
): Uint32Array {
  const t = addressTest(vids);
  if (t === null) return new Uint32Array(0);
  const hits = new AddressHits();
  hits.scan(vid, 1, Math.min(coverage, vid.length - 1) + 1, 0, t);
  return hits.join();
}
