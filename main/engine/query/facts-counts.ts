/**
 * An id set's records per combo from a mirror of record_facts restored without its times
 * (facts-memory.ts restoreFactsMemory): what the facets read (facets.ts tallies each combo's count
 * only), not the time spans or hours a histogram needs.
 *
 * Why: the CLI's `facets` of a free word restored the whole kept mirror, times included, to count the
 * word's records per combo. At 5M rows the times are 40 MB of the 50 MB (facts.cid 10 MB): reading
 * them from memory_kept took 264-630 ms of a fresh connection under load, the combo ids 33-122 ms
 * (copy of the shared case, 5 alternating runs each).
 */
import type { ComboSpan } from './facts-read';

/**
 * Each combo's count among `ids` up to `coverage` (spans without times: lo and hi null), or null when
 * an id up to the coverage has no combo in `cid` (the caller reads record_facts, as mirrorFactRows'
 * callers do).
 */
export function mirrorComboCounts(
  cid: Uint16Array | Uint32Array,
  ids: ArrayLike<number>,
  coverage: number,
): ComboSpan[] | null {
  let n = new Float64Array(1024);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id > coverage) continue;
    const c = cid[id] ?? 0;
    if (c === 0) return null;
    if (c >= n.length) {
      // Combo ids are dense from 1 (fact_combos' rowid): grown a few times at most.
      let size = n.length;
      while (c >= size) size *= 2;
      const grown = new Float64Array(size);
      grown.set(n);
      n = grown;
    }
    n[c]++;
  }
  const spans: ComboSpan[] = [];
  for (let c = 1; c < n.length; c++) if (n[c] > 0) spans.push({ cid: c, n: n[c], lo: null, hi: null });
  return spans;
}
