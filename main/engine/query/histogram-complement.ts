/**
 * The histogram of a search with negated terms (complement.ts): the rest's hourly counts from the
 * summary less the subtracted set's per hour, and the exact first and last time read from the
 * records of the first and last hour left. `-jane` at 1M rows on a bare connection: a pass over every
 * record probing jane's ids (1.9 s, under load) becomes the summary plus jane's 83k ids.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { complementOf } from './complement';
import { compileWhere } from './filter';
import { summaryHistogram, type BucketCounts } from './histogram-summary';
import type { BucketPlan } from './histogram-zone';
import { idSetBuckets, idSetCombos } from './record-facts';
import { HOUR_MS, SUMMARY_FACET_COLUMNS } from './summary';

/** Counts per hour (`b`: hours from `from`) of the search, and its exact time span (null: no time). */
export interface HourCounts {
  readonly from: number;
  readonly rows: readonly BucketCounts[];
  readonly lo: number | null;
  readonly hi: number | null;
}

/** Whether an ascending list holds `id`. */
function holds(list: ArrayLike<number>, id: number): boolean {
  let a = 0;
  let b = list.length - 1;
  while (a <= b) {
    const m = (a + b) >> 1;
    const v = list[m];
    if (v === id) return true;
    if (v < id) a = m + 1;
    else b = m - 1;
  }
  return false;
}

/** The search's counts per hour as the rest's less the subtracted set's; null when that does not apply. */
export function complementHours(db: Database, filter: FilterModel): HourCounts | null {
  const c = complementOf(db, filter);
  if (c === null) return null;
  const source = summaryHistogram(db, c.rest);
  if (source === null) return null;
  if (source.lo === null) return { from: 0, rows: [], lo: null, hi: null };
  const from = Math.floor(source.lo / HOUR_MS) * HOUR_MS;
  const all = source.counts(from, HOUR_MS);
  if (all === null) return null;
  const net = new Map<
    number,
    { b: number; delivered: number; bounced: number; dropped: number; n: number }
  >();
  for (const r of all) {
    if (r.b === null) continue;
    const o = net.get(r.b) ?? { b: r.b, delivered: 0, bounced: 0, dropped: 0, n: 0 };
    o.delivered += r.delivered;
    o.bounced += r.bounced;
    o.dropped += r.dropped;
    o.n += r.n;
    net.set(r.b, o);
  }
  // The set's one pass over record_facts that the facets share (record-facts.ts): its rows then give
  // the buckets, where idSetBuckets alone reads the set by `IN`, a temp B-tree of its ids first.
  idSetCombos(db, c.minus);
  for (const r of idSetBuckets(db, c.minus, from, HOUR_MS)) {
    const o = r.b === null ? undefined : net.get(r.b);
    // Every subtracted record is one of the rest's, so its hour is there; if not, the ordinary path answers.
    if (o === undefined) return null;
    o.delivered -= r.delivered;
    o.bounced -= r.bounced;
    o.dropped -= r.dropped;
    o.n -= r.n;
  }
  const rows = [...net.values()].filter((r) => r.n > 0).sort((a, b) => a.b - b.b);
  if (rows.length === 0) return { from, rows, lo: null, hi: null };
  // The exact first (last) time: the rest's records of that hour, less the subtracted ids. MATERIALIZED
  // so a domain term does not steer SQLite to the domain index (see histogram-summary.ts).
  const where = compileWhere(c.rest);
  const edge = (b: number, fn: 'min' | 'max'): number | null => {
    const start = from + b * HOUR_MS;
    const found = db
      .prepare(
        `WITH h AS MATERIALIZED (SELECT id, creation_time_ms, ${SUMMARY_FACET_COLUMNS} FROM records
           WHERE creation_time_ms >= ? AND creation_time_ms < ?)
         SELECT id, creation_time_ms FROM h WHERE ${where.sql}`,
      )
      .raw()
      .all(start, start + HOUR_MS, ...where.params) as [number, number][];
    let t: number | null = null;
    for (const [id, ms] of found)
      if (!holds(c.minus.list, id) && (t === null || (fn === 'min' ? ms < t : ms > t))) t = ms;
    return t;
  };
  const lo = edge(rows[0].b, 'min');
  const hi = edge(rows[rows.length - 1].b, 'max');
  // An hour left with records must hold one of them; if not, the ordinary path answers.
  return lo === null || hi === null ? null : { from, rows, lo, hi };
}

/** The hours added up per unit of `plan`; null when its units are not whole hours from an hour. */
export function hoursInUnits(hours: HourCounts, plan: BucketPlan): BucketCounts[] | null {
  if (plan.unitMs % HOUR_MS !== 0 || (plan.unitFrom - hours.from) % HOUR_MS !== 0) return null;
  const out = new Map<
    number,
    { b: number; delivered: number; bounced: number; dropped: number; n: number }
  >();
  for (const r of hours.rows) {
    if (r.b === null) continue;
    const b = Math.floor((hours.from + r.b * HOUR_MS - plan.unitFrom) / plan.unitMs);
    const o = out.get(b) ?? { b, delivered: 0, bounced: 0, dropped: 0, n: 0 };
    o.delivered += r.delivered;
    o.bounced += r.bounced;
    o.dropped += r.dropped;
    o.n += r.n;
    out.set(b, o);
  }
  return [...out.values()];
}
