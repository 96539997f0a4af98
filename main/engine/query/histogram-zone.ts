/**
 * Histogram buckets in the display zone. Buckets under a day are elapsed-time buckets (every hour is
 * an hour) placed so their edges fall on the zone's wall clock: the same as UTC's for whole-hour
 * offsets, half past for India. Day and week buckets are calendar buckets: each starts at local
 * midnight (weeks on Monday), so a DST day lasts 23 or 25 hours. Those are counted in units that
 * never straddle a bucket edge (hours for whole-hour offsets, so the hourly summary still answers)
 * and the units are then added up per bucket here.
 */
import type { HistogramBucket } from '../../../common/contract';
import { wallToInstant, zoneOffsetMs } from '../../../common/time-zone';
import type { BucketCounts } from './histogram-summary';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** 1970-01-05, the first Monday after the epoch (a Thursday): week buckets start on Mondays. */
const MONDAY = 4 * DAY;

/**
 * Where buckets start: `starts[k]` to `starts[k + 1]` is bucket k (the last entry only ends the last
 * bucket). SQL groups records by `CAST((t - unitFrom) / unitMs AS INTEGER)`; each unit lies in one bucket.
 */
export interface BucketPlan {
  /** The nominal size (a calendar day counts as DAY even when it has 23 hours). */
  readonly bucketMs: number;
  readonly starts: readonly number[];
  readonly unitFrom: number;
  readonly unitMs: number;
}

const mod = (x: number, m: number): number => ((x % m) + m) % m;

/**
 * The buckets covering [lo, hi] in `zone` for the nominal size `bucketMs` (from chooseBucketMs).
 * Pure: the same plan serves the summary and the records path.
 */
export function planBuckets(lo: number, hi: number, bucketMs: number, zone: string): BucketPlan {
  if (bucketMs < DAY) {
    const off = zoneOffsetMs(lo, zone);
    const from = Math.floor((lo + off) / bucketMs) * bucketMs - off;
    const last = Math.floor((hi - from) / bucketMs);
    const starts = Array.from({ length: last + 2 }, (_, k) => from + k * bucketMs);
    return { bucketMs, starts, unitFrom: from, unitMs: bucketMs };
  }
  const wallLo = lo + zoneOffsetMs(lo, zone);
  const wallFrom =
    bucketMs === DAY
      ? Math.floor(wallLo / DAY) * DAY
      : Math.floor((wallLo - MONDAY) / bucketMs) * bucketMs + MONDAY;
  const starts: number[] = [];
  let off = zoneOffsetMs(wallFrom, zone);
  for (let k = 0; ; k++) {
    const wall = wallFrom + k * bucketMs;
    // One Intl call per bucket while the offset holds; wallToInstant where it changed.
    let start = wall - off;
    if (zoneOffsetMs(start, zone) !== off) {
      start = wallToInstant(wall, zone);
      off = zoneOffsetMs(start, zone);
    }
    starts.push(start);
    if (start > hi) break;
  }
  const unitMs =
    [HOUR, 30 * MIN, 15 * MIN, MIN, 1000, 1].find((u) => starts.every((s) => mod(s, u) === 0)) ?? 1;
  const first = starts[0] ?? lo;
  return { bucketMs, starts, unitFrom: first, unitMs };
}

/** Index of the bucket holding instant `t` (binary search over the starts). */
function bucketOf(starts: readonly number[], t: number): number {
  let a = 0;
  let b = starts.length - 2;
  while (a < b) {
    const m = (a + b + 1) >> 1;
    if ((starts[m] ?? Infinity) <= t) a = m;
    else b = m - 1;
  }
  return a;
}

/** The plan's buckets, empty ones included so the chart's x axis is even, from counts per unit. */
export function shapeBuckets(plan: BucketPlan, rows: readonly BucketCounts[]): HistogramBucket[] {
  const { starts } = plan;
  const out = starts.slice(0, -1).map((start, k) => ({
    start,
    end: starts[k + 1] ?? start + plan.bucketMs,
    delivered: 0,
    bounced: 0,
    dropped: 0,
    other: 0,
  }));
  const direct = plan.unitFrom === starts[0] && plan.unitMs === plan.bucketMs && plan.bucketMs < DAY;
  for (const r of rows) {
    if (r.b === null) continue;
    const k = direct ? r.b : bucketOf(starts, plan.unitFrom + r.b * plan.unitMs);
    const o = out[k];
    if (!o) continue;
    o.delivered += r.delivered;
    o.bounced += r.bounced;
    o.dropped += r.dropped;
    o.other += r.n - r.delivered - r.bounced - r.dropped;
  }
  return out;
}
