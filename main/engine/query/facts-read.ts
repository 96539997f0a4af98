/**
 * The covered part of an id set read from record_facts in one aggregate-free pass, grouped here.
 *
 * Why not GROUP BY in SQL: SQLite groups through a temp B-tree, i.e. it sorts every matching row.
 * For `jane` at 1M rows (83k ids) the probe of record_facts took 25-31 ms, the same probe grouped by
 * combo 50-88 ms, and grouping by combo and by quarter hour in one statement 83-111 ms (all under
 * load). Returned as two JSON arrays (no sort, one string each) and grouped in a Map here: 59-79 ms
 * for the combos, the span, and every record's time and outcome, so the histogram of any unit and
 * zone needs no second pass over the ids.
 */
import type { Database } from 'better-sqlite3';
import type { FactsMirror } from './facts-memory';
import type { BucketCounts } from './histogram-summary';

/** A combo's count and time span among the id set's covered records (the combo's columns from fact_combos). */
export interface ComboSpan {
  readonly cid: number;
  readonly n: number;
  readonly lo: number | null;
  readonly hi: number | null;
}

/** Each covered record's time (NaN: none) and outcome (OUTCOME codes), in id order. */
export interface FactRows {
  readonly times: Float64Array;
  readonly outcomes: Uint8Array;
}

/** Outcome codes: the histogram's three named substatuses, everything else as other. */
const OUTCOME: Readonly<Record<string, number>> = { DELIVERED: 1, BOUNCED: 2, DROPPED: 3 };

/**
 * Combos with count and span, and the per-record rows, of the ids in `set` (a WHERE body over
 * record_facts binding `json`). `substatusOf` gives a combo's substatus (from fact_combos).
 */
export function readFactRows(
  db: Database,
  table: string,
  set: string,
  json: string,
  substatusOf: (cids: readonly number[]) => Map<number, string | null>,
): { spans: ComboSpan[]; rows: FactRows } {
  const [tJson, cidJson] = db
    .prepare(`SELECT json_group_array(t), json_group_array(cid) FROM ${table} WHERE ${set}`)
    .raw()
    .get(json) as [string, string];
  const ts = JSON.parse(tJson) as (number | null)[];
  const cids = JSON.parse(cidJson) as number[];
  const byCid: Spans = new Map();
  const times = new Float64Array(ts.length);
  for (let i = 0; i < cids.length; i++) {
    times[i] = ts[i] ?? NaN;
    tally(byCid, cids[i], times[i]);
  }
  return withOutcomes([...byCid.values()], times, cids, substatusOf);
}

type Spans = Map<number, { cid: number; n: number; lo: number | null; hi: number | null }>;

/** Counts a record of combo `cid` at time `t` (NaN: none) into its span. */
function tally(spans: Spans, cid: number, t: number): void {
  let s = spans.get(cid);
  if (s === undefined) {
    s = { cid, n: 0, lo: null, hi: null };
    spans.set(cid, s);
  }
  s.n++;
  if (!Number.isNaN(t)) {
    if (s.lo === null || t < s.lo) s.lo = t;
    if (s.hi === null || t > s.hi) s.hi = t;
  }
}

function withOutcomes(
  spans: ComboSpan[],
  times: Float64Array,
  cids: ArrayLike<number>,
  substatusOf: (cids: readonly number[]) => Map<number, string | null>,
): { spans: ComboSpan[]; rows: FactRows } {
  const subs = substatusOf(spans.map((s) => s.cid));
  const codeOf = new Map([...subs].map(([cid, sub]) => [cid, sub === null ? 0 : (OUTCOME[sub] ?? 0)]));
  const outcomes = new Uint8Array(cids.length);
  for (let i = 0; i < cids.length; i++) outcomes[i] = codeOf.get(cids[i]) ?? 0;
  return { spans, rows: { times, outcomes } };
}

/**
 * readFactRows from the reader's in-memory mirror (facts-memory.ts): the same spans and rows for the
 * ids at or below `coverage`, without a probe of record_facts per id. Null if an id has no row in
 * the mirror (then the caller reads record_facts, which tells the same or the truth).
 */
export function mirrorFactRows(
  mirror: FactsMirror,
  ids: ArrayLike<number>,
  coverage: number,
  substatusOf: (cids: readonly number[]) => Map<number, string | null>,
): { spans: ComboSpan[]; rows: FactRows } | null {
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (ids[i] <= coverage) n++;
  const times = new Float64Array(n);
  const cids = new Uint32Array(n);
  const counts: Spans = new Map();
  let k = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id > coverage) continue;
    const cid = mirror.cid[id] ?? 0;
    if (cid === 0) return null;
    times[k] = mirror.t[id];
    cids[k] = cid;
    tally(counts, cid, times[k++]);
  }
  return withOutcomes([...counts.values()], times, cids, substatusOf);
}

/**
 * Counts per unit (`unitFrom + b * unitMs`) and outcome, as the SQL path's
 * `CAST((t - unitFrom) / unitMs AS INTEGER)` groups them (integer division truncates; for integer
 * times below 2^53 the float quotient never rounds across an integer, so Math.trunc agrees).
 */
export function bucketRows(rows: FactRows, unitFrom: number, unitMs: number): BucketCounts[] {
  const units = new Map<
    number,
    { b: number; delivered: number; bounced: number; dropped: number; n: number }
  >();
  const { times, outcomes } = rows;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    if (Number.isNaN(t)) continue;
    const b = Math.trunc((t - unitFrom) / unitMs);
    let u = units.get(b);
    if (u === undefined) {
      u = { b, delivered: 0, bounced: 0, dropped: 0, n: 0 };
      units.set(b, u);
    }
    u.n++;
    const o = outcomes[i];
    if (o === 1) u.delivered++;
    else if (o === 2) u.bounced++;
    else if (o === 3) u.dropped++;
  }
  return [...units.values()];
}
