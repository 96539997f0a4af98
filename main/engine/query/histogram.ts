/** Counts over Creation Time under the current filter, split by outcome, in "nice" bucket sizes. */
import type { Database } from 'better-sqlite3';
import type { FilterModel, Histogram } from '../../../common/contract';
import { EngineError } from '../errors';
import { compileWhere } from './filter';
import { idsPart, type MatchIds } from './match-ids';
import { matchIds } from './paging';
import { summaryHistogram, type BucketCounts } from './histogram-summary';
import { planBuckets, shapeBuckets, type BucketPlan } from './histogram-zone';
import { idSetBuckets, idSetCombos } from './record-facts';
import { complementHours, hoursInUnits } from './histogram-complement';
import { createResolver, MAX_RESOLVED_VALUES_AGGREGATE } from './resolver';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
export const BUCKET_SIZES: readonly number[] = [MIN, 5 * MIN, 15 * MIN, HOUR, 6 * HOUR, DAY, 7 * DAY];

/** Smallest nice size giving at most `target` buckets; weeks beyond that (long spans get more buckets). */
export function chooseBucketMs(spanMs: number, target: number): number {
  for (const size of BUCKET_SIZES) if (spanMs / size <= target) return size;
  const week = 7 * DAY;
  return week * Math.ceil(spanMs / week / target);
}

/**
 * `zone` places the bucket edges (see histogram-zone.ts): the display zone the renderer sends, else the
 * zone of the filter's typed dates, else UTC.
 */
export function getHistogram(
  db: Database,
  filter: FilterModel,
  buckets: number,
  zone = filter.timeZone ?? 'UTC',
): Histogram {
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > 10_000) {
    throw new EngineError('INVALID_ARGUMENT', 'buckets must be between 1 and 10000', { path: 'buckets' });
  }
  const summary = summaryHistogram(db, filter);
  if (summary !== null) {
    if (summary.lo === null || summary.hi === null)
      return { bucketMs: MIN, from: null, to: null, buckets: [] };
    const plan = planBuckets(
      summary.lo,
      summary.hi,
      chooseBucketMs(summary.hi - summary.lo + 1, buckets),
      zone,
    );
    const rows = summary.counts(plan.unitFrom, plan.unitMs);
    if (rows !== null) return shape(rows, plan);
  }
  const negative = complementHistogram(db, filter, buckets, zone);
  if (negative !== null) return negative;
  const ids = matchIds(db, filter);
  if (ids !== null) return factsHistogram(db, ids, buckets, zone) ?? idsHistogram(db, ids, buckets, zone);
  // No "creation_time_ms IS NOT NULL" here: it steers SQLite to the time index plus a table lookup per
  // row (seconds on 1M rows) instead of the covering (substatus, creation_time_ms) index.
  const where = compileWhere(filter, createResolver(db, MAX_RESOLVED_VALUES_AGGREGATE));
  const span = db
    .prepare(
      `SELECT min(creation_time_ms) AS lo, max(creation_time_ms) AS hi FROM records WHERE ${where.sql}`,
    )
    .get(...where.params) as {
    lo: number | null;
    hi: number | null;
  };
  if (span.lo === null || span.hi === null) return { bucketMs: MIN, from: null, to: null, buckets: [] };
  const plan = planBuckets(span.lo, span.hi, chooseBucketMs(span.hi - span.lo + 1, buckets), zone);
  // Filtered: collect the matching rows by the filter's own plan first (MATERIALIZED), so grouping in
  // time order does not tempt SQLite into a table lookup per index entry.
  const source = where.sql === '1' ? 'records' : `m`;
  const prefix =
    where.sql === '1'
      ? ''
      : `WITH m AS MATERIALIZED (SELECT creation_time_ms, substatus FROM records WHERE ${where.sql}) `;
  const rows = db
    .prepare(
      `${prefix}SELECT CAST((creation_time_ms - ?) / ? AS INTEGER) AS b,
              count(CASE substatus WHEN 'DELIVERED' THEN 1 END) AS delivered,
              count(CASE substatus WHEN 'BOUNCED' THEN 1 END) AS bounced,
              count(CASE substatus WHEN 'DROPPED' THEN 1 END) AS dropped, count(*) AS n
       FROM ${source} GROUP BY 1`,
    )
    .all(...(where.sql === '1' ? [] : where.params), plan.unitFrom, plan.unitMs) as BucketCounts[];
  return shape(rows, plan);
}

/** The buckets in the display zone (empty ones included so the chart's x axis is even). */
function shape(rows: readonly BucketCounts[], plan: BucketPlan): Histogram {
  const out = shapeBuckets(plan, rows);
  return { bucketMs: plan.bucketMs, from: out[0]?.start ?? null, to: out.at(-1)?.end ?? null, buckets: out };
}

/** A search with negated terms as its rest less a set (complement.ts); null when that does not apply. */
function complementHistogram(
  db: Database,
  filter: FilterModel,
  buckets: number,
  zone: string,
): Histogram | null {
  const hours = complementHours(db, filter);
  if (hours === null) return null;
  if (hours.lo === null || hours.hi === null) return { bucketMs: MIN, from: null, to: null, buckets: [] };
  const plan = planBuckets(hours.lo, hours.hi, chooseBucketMs(hours.hi - hours.lo + 1, buckets), zone);
  const rows = hoursInUnits(hours, plan);
  return rows === null ? null : shape(rows, plan);
}

/**
 * The histogram of the search's id set from record_facts: the span from the pass the facets share
 * (record-facts.ts), then one grouped pass; null until record_facts covers any record.
 */
function factsHistogram(db: Database, ids: MatchIds, buckets: number, zone: string): Histogram | null {
  const span = idSetCombos(db, ids);
  if (span === null) return null;
  if (span.lo === null || span.hi === null) return { bucketMs: MIN, from: null, to: null, buckets: [] };
  const plan = planBuckets(span.lo, span.hi, chooseBucketMs(span.hi - span.lo + 1, buckets), zone);
  return shape(idSetBuckets(db, ids, plan.unitFrom, plan.unitMs), plan);
}

/**
 * The histogram of the search's id set: time and substatus of those ids only, bucketed here (one
 * pass, where the SQL path reads the matches twice: for the span, then for the buckets).
 */
function idsHistogram(db: Database, ids: MatchIds, buckets: number, zone: string): Histogram {
  const rows = db
    .prepare(
      `SELECT creation_time_ms, substatus FROM records WHERE ${idsPart(ids).sql} AND creation_time_ms IS NOT NULL`,
    )
    .raw()
    .all(ids.json) as [number, string | null][];
  if (rows.length === 0) return { bucketMs: MIN, from: null, to: null, buckets: [] };
  let lo = Infinity;
  let hi = -Infinity;
  for (const [t] of rows) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const plan = planBuckets(lo, hi, chooseBucketMs(hi - lo + 1, buckets), zone);
  const counts = new Map<
    number,
    { b: number; delivered: number; bounced: number; dropped: number; n: number }
  >();
  for (const [t, s] of rows) {
    const b = Math.floor((t - plan.unitFrom) / plan.unitMs);
    let c = counts.get(b);
    if (c === undefined) {
      c = { b, delivered: 0, bounced: 0, dropped: 0, n: 0 };
      counts.set(b, c);
    }
    c.n++;
    if (s === 'DELIVERED') c.delivered++;
    else if (s === 'BOUNCED') c.bounced++;
    else if (s === 'DROPPED') c.dropped++;
  }
  return shape([...counts.values()], plan);
}
