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
import { hourOf, HourTally } from './facts-hours';

/** A combo's count and time span among the id set's covered records (the combo's columns from fact_combos). */
export interface ComboSpan {
  readonly cid: number;
  readonly n: number;
  readonly lo: number | null;
  readonly hi: number | null;
}

/**
 * Each covered record's time (NaN: none) and outcome (OUTCOME codes), in id order: as two arrays
 * (the record_facts pass), or as the id set read through the mirror (no per-record arrays: for
 * `-jane` at 1M rows, 917k records, building them was most of the facets' 100-136 ms).
 */
export type FactRows =
  | { readonly kind: 'arrays'; readonly times: Float64Array; readonly outcomes: Uint8Array }
  | {
      readonly kind: 'mirror';
      readonly t: Float64Array;
      readonly cid: Uint16Array | Uint32Array;
      readonly ids: ArrayLike<number>;
      readonly coverage: number;
      /** Outcome code per combo id. */
      readonly outcomeOf: Uint8Array;
      /** The same records per hour and outcome, counted in the same pass (facts-hours.ts). */
      readonly hours?: HourTally;
    };

/** How many records the rows hold. */
export function factRowCount(rows: FactRows): number {
  if (rows.kind === 'arrays') return rows.times.length;
  let n = 0;
  for (let i = 0; i < rows.ids.length; i++) if (rows.ids[i] <= rows.coverage) n++;
  return n;
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
  return { spans, rows: { kind: 'arrays', times, outcomes } };
}

/**
 * readFactRows from the reader's in-memory mirror (facts-memory.ts): the same spans and rows for the
 * ids at or below `coverage`, without a probe of record_facts per id. Null if an id has no row in
 * the mirror (then the caller reads record_facts, which tells the same or the truth).
 *
 * Counted in typed arrays indexed by combo id, one pass, nothing allocated per record: a Map entry
 * per record and two per-record arrays took 100-136 ms for `-jane` at 1M rows (917k ids).
 */
export function mirrorFactRows(
  mirror: FactsMirror,
  ids: ArrayLike<number>,
  coverage: number,
  substatusOf: (cids: readonly number[]) => Map<number, string | null>,
  outcomes?: Uint8Array,
): { spans: ComboSpan[]; rows: FactRows } | null {
  const { t, cid } = mirror;
  // Restored without times: only counts by combo (facts-counts.ts), never spans or rows.
  if (t === null) return null;
  // With every combo's outcome known beforehand, the records' hours are counted in this pass too.
  let hours = outcomes === undefined ? undefined : new HourTally();
  let size = 1024;
  let n = new Float64Array(size);
  let lo = new Float64Array(size).fill(Infinity);
  let hi = new Float64Array(size).fill(-Infinity);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id > coverage) continue;
    const c = cid[id] ?? 0;
    if (c === 0) return null;
    if (c >= size) {
      // Combo ids are dense from 1 (fact_combos' rowid): grown a few times at most.
      while (c >= size) size *= 2;
      n = grown(n, size, 0);
      lo = grown(lo, size, Infinity);
      hi = grown(hi, size, -Infinity);
    }
    n[c]++;
    const time = t[id];
    // NaN (no time) fails both comparisons.
    if (time < lo[c]) lo[c] = time;
    if (time > hi[c]) hi[c] = time;
    if (hours !== undefined && time === time) {
      // A combo newer than the outcomes read: the buckets take their own pass (bucketRows).
      if (outcomes === undefined || c >= outcomes.length) hours = undefined;
      else {
        const h = hourOf(time);
        const k = h - hours.base;
        if (k >= 0 && k < hours.size) hours.dense[4 * k + outcomes[c]]++;
        else hours.add(h, outcomes[c]);
      }
    }
  }
  const spans: ComboSpan[] = [];
  for (let c = 1; c < size; c++)
    if (n[c] > 0)
      spans.push({
        cid: c,
        n: n[c],
        lo: lo[c] === Infinity ? null : lo[c],
        hi: hi[c] === -Infinity ? null : hi[c],
      });
  const subs = substatusOf(spans.map((s) => s.cid));
  const outcomeOf = new Uint8Array(size);
  for (const [c, sub] of subs) if (c < size) outcomeOf[c] = sub === null ? 0 : (OUTCOME[sub] ?? 0);
  return { spans, rows: { kind: 'mirror', t, cid, ids, coverage, outcomeOf, ...(hours ? { hours } : {}) } };
}

function grown(a: Float64Array, size: number, fill: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(size).fill(fill);
  out.set(a);
  return out;
}

/**
 * Counts per unit (`unitFrom + b * unitMs`) and outcome, as the SQL path's
 * `CAST((t - unitFrom) / unitMs AS INTEGER)` groups them (integer division truncates; for integer
 * times below 2^53 the float quotient never rounds across an integer, so Math.trunc agrees).
 */
export function bucketRows(rows: FactRows, unitFrom: number, unitMs: number): BucketCounts[] {
  const counted = rows.kind === 'mirror' ? rows.hours?.units(unitFrom, unitMs) : undefined;
  if (counted !== undefined && counted !== null) return counted;
  const units = new Units(unitFrom, unitMs);
  if (rows.kind === 'arrays') {
    const { times, outcomes } = rows;
    for (let i = 0; i < times.length; i++) units.count(times[i], outcomes[i]);
  } else {
    const { t, cid, ids, coverage, outcomeOf } = rows;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id <= coverage) units.count(t[id], outcomeOf[cid[id]]);
    }
  }
  return units.rows();
}

/** Units counted in a dense array up to this many (a span's units are far fewer); any others in a Map. */
const DENSE_UNITS = 1 << 16;

class Units {
  /**
   * Per unit b in [0, DENSE_UNITS): four counters (other, delivered, bounced, dropped) at 4b..4b+3.
   * One typed-array increment a record: counting into the last unit's object (a property
   * increment and a branch on the outcome per record) took ~45 ms of CPU for `-jane`'s 4.6M records
   * at 5M rows under load, most of its histogram's pass.
   */
  private dense = new Float64Array(4 * 64);
  private readonly sparse = new Map<number, Float64Array>();

  constructor(
    private readonly unitFrom: number,
    private readonly unitMs: number,
  ) {}

  count(t: number, o: number): void {
    if (Number.isNaN(t)) return;
    const b = Math.trunc((t - this.unitFrom) / this.unitMs);
    if (b >= 0 && b < DENSE_UNITS) {
      const at = 4 * b + o;
      if (at >= this.dense.length) this.grow(b);
      this.dense[at]++;
      return;
    }
    let c = this.sparse.get(b);
    if (c === undefined) {
      c = new Float64Array(4);
      this.sparse.set(b, c);
    }
    c[o]++;
  }

  private grow(b: number): void {
    let n = this.dense.length;
    while (n <= 4 * b + 3) n *= 2;
    const out = new Float64Array(Math.min(n, 4 * DENSE_UNITS));
    out.set(this.dense);
    this.dense = out;
  }

  rows(): BucketCounts[] {
    const out: BucketCounts[] = [];
    const row = (b: number, c: ArrayLike<number>, at: number): void => {
      const n = c[at] + c[at + 1] + c[at + 2] + c[at + 3];
      if (n > 0) out.push({ b, delivered: c[at + 1], bounced: c[at + 2], dropped: c[at + 3], n });
    };
    for (let b = 0; 4 * b < this.dense.length; b++) row(b, this.dense, 4 * b);
    for (const [b, c] of this.sparse) row(b, c, 0);
    return out;
  }
}
