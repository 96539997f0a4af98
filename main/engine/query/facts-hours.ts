/**
 * An id set's records counted per hour and outcome within the pass over the facts mirror that finds
 * its combos (facts-read.ts mirrorFactRows), so its histogram needs no second pass over the ids when
 * the buckets are whole hours from a whole hour (every zone with a whole-hour offset).
 *
 * Why: the histogram of `-jane` at 5M rows (4.6M ids) made two passes over the ids, the combos' and
 * the buckets' (bucketRows); profiled in-process at 5M, the second took ~20% of the request's CPU,
 * more than the first (its division and call per record). Counting each record's hour in the first
 * pass costs a division and an array increment.
 */
import type { BucketCounts } from './histogram-summary';

const HOUR_MS = 3_600_000;
/** Hours held in the dense window (15 years); a time outside it is counted in a Map. */
const MAX_WINDOW = 1 << 17;

/** Outcome code of a stored substatus, as facts-read.ts codes it (0: other or none). */
export function outcomeCode(substatus: unknown): number {
  switch (substatus) {
    case 'DELIVERED':
      return 1;
    case 'BOUNCED':
      return 2;
    case 'DROPPED':
      return 3;
    default:
      return 0;
  }
}

/**
 * Counts per hour since the epoch (`Math.floor(t / HOUR_MS)`) and outcome: four counters per hour
 * (other, delivered, bounced, dropped) in a window of hours from `base`, grown as times fall outside.
 */
export class HourTally {
  base = 0;
  size = 0;
  dense = new Float64Array(0);
  private readonly sparse = new Map<number, Float64Array>();

  /** Counts `n` records at hour `h` of outcome `o`; callers count those inside the window themselves. */
  add(h: number, o: number, n = 1): void {
    const i = h - this.base;
    if (i >= 0 && i < this.size) {
      this.dense[4 * i + o] += n;
      return;
    }
    if (this.size === 0) {
      // A month of hours around the first record; grown if the set spans more.
      this.base = h - 64;
      this.size = 1024;
      this.dense = new Float64Array(4 * this.size);
    } else {
      const lo = Math.min(this.base, h);
      const hi = Math.max(this.base + this.size - 1, h);
      if (hi - lo + 1 > MAX_WINDOW) {
        let c = this.sparse.get(h);
        if (c === undefined) {
          c = new Float64Array(4);
          this.sparse.set(h, c);
        }
        c[o] += n;
        return;
      }
      const size = Math.min(MAX_WINDOW, Math.max(hi - lo + 1, 2 * this.size));
      const base = h < this.base ? hi - size + 1 : lo;
      const dense = new Float64Array(4 * size);
      dense.set(this.dense, 4 * (this.base - base));
      this.base = base;
      this.size = size;
      this.dense = dense;
    }
    this.dense[4 * (h - this.base) + o] += n;
  }

  /** This tally less `other`'s (records of a subset of this one's: no counter goes below zero). */
  less(other: HourTally): HourTally {
    const out = new HourTally();
    const each = (t: HourTally, sign: number): void => {
      for (let i = 0; i < t.size; i++)
        for (let o = 0; o < 4; o++)
          if (t.dense[4 * i + o] !== 0) out.add(t.base + i, o, sign * t.dense[4 * i + o]);
      for (const [h, c] of t.sparse) for (let o = 0; o < 4; o++) if (c[o] !== 0) out.add(h, o, sign * c[o]);
    };
    each(this, 1);
    each(other, -1);
    return out;
  }

  /**
   * Counts per unit (`unitFrom + b * unitMs`) as bucketRows gives them, or null when the units are
   * not whole hours from a whole hour, or an hour starts before `unitFrom` (SQL's truncating division
   * would then split it).
   */
  units(unitFrom: number, unitMs: number): BucketCounts[] | null {
    if (unitMs % HOUR_MS !== 0 || unitFrom % HOUR_MS !== 0) return null;
    const out = new Map<number, Float64Array>();
    const add = (h: number, c: ArrayLike<number>, at: number): boolean => {
      const n = c[at] + c[at + 1] + c[at + 2] + c[at + 3];
      if (n === 0) return true;
      const start = h * HOUR_MS;
      if (start < unitFrom) return false;
      // Every time in the hour falls in the same unit: the hour's start and the unit's are whole hours.
      const b = Math.trunc((start - unitFrom) / unitMs);
      let u = out.get(b);
      if (u === undefined) {
        u = new Float64Array(4);
        out.set(b, u);
      }
      for (let k = 0; k < 4; k++) u[k] += c[at + k];
      return true;
    };
    for (let i = 0; i < this.size; i++) if (!add(this.base + i, this.dense, 4 * i)) return null;
    for (const [h, c] of this.sparse) if (!add(h, c, 0)) return null;
    return [...out].map(([b, c]) => ({
      b,
      delivered: c[1],
      bounced: c[2],
      dropped: c[3],
      n: c[0] + c[1] + c[2] + c[3],
    }));
  }
}

const PER_MS = 1 / HOUR_MS;

/**
 * `Math.floor(t / HOUR_MS)` for a time in ms: a multiplication, corrected by one where its rounding
 * crossed an hour's edge. The division took ~35 ms more of the 4.6M-record pass for `-jane` at 5M
 * rows (in-process, 8 alternating runs: fused pass best/median 199/223 -> 160/194 ms, under load).
 */
export function hourOf(t: number): number {
  const h = Math.floor(t * PER_MS);
  if (h * HOUR_MS > t) return h - 1;
  return (h + 1) * HOUR_MS <= t ? h + 1 : h;
}
