/**
 * `from:` and `size` terms answered from the aggregate reader's memory (values-memory.ts): the ids of
 * the rest of the filter (an id set, or every record from the facts mirror), kept where the record's
 * sender and size pass the terms. One typed pass instead of a scan of the table (`from:news` at 5M
 * rows: no index holds the sender; `size>100000`: most records match).
 *
 * Exact as SQL is: a sender term is compiled as the search compiles it (filter.ts, LIKE without a
 * vocabulary) and tried on each distinct sender once, in SQLite; a size term compares as SQLite's
 * `+message_size op n` does (integers; NULL never matches, `-size>n` keeps it, as NOT ifnull(..., 0)).
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { tryParseSearch, withoutTerms, type SearchTerm } from '../../../common/search-syntax';
import { compileWhere, searchPart } from './filter';
import { factsMirror } from './facts-memory';
import { factsCoverage } from './record-facts';
import { valuesMirror, type ValuesMirror } from './values-memory';

type Ids = Uint32Array | Float64Array;

function isValueTerm(t: SearchTerm): boolean {
  return t.kind === 'field' && (t.field.name === 'from' || t.field.kind === 'size');
}

/** Per sender code: 1 when the sender passes the terms (positive ones ORed, negated ones ANDed). */
export function senderPass(
  db: Database,
  q: string,
  terms: readonly SearchTerm[],
  m: Pick<ValuesMirror, 'senders'>,
): Uint8Array {
  const pass = new Uint8Array(m.senders.length);
  // Code 0: an id the mirror holds no record for.
  if (terms.length === 0) return pass.fill(1, 1);
  const text = terms.map((t) => q.slice(t.start, t.end)).join(' ');
  const where = searchPart(text, undefined);
  const codes = db
    .prepare(
      `WITH d(code, message_from) AS (SELECT key, value FROM json_each(?)) SELECT code FROM d WHERE ${where.sql}`,
    )
    .pluck()
    .all(JSON.stringify(m.senders), ...where.params) as number[];
  for (const c of codes) if (c > 0) pass[c] = 1;
  return pass;
}

/** A size term as an interval, bounds included when `loIn`/`hiIn` is 1; `negate` 1 flips it. */
interface SizeBound {
  readonly lo: number;
  readonly loIn: number;
  readonly hi: number;
  readonly hiIn: number;
  readonly negate: number;
}

function boundOf(t: SearchTerm): SizeBound {
  const x = t.kind === 'field' ? (t.number ?? 0) : 0;
  const op = t.kind === 'field' ? t.op : ':';
  const negate = t.negate ? 1 : 0;
  if (op === '>' || op === '>=') return { lo: x, loIn: op === '>=' ? 1 : 0, hi: Infinity, hiIn: 1, negate };
  if (op === '<' || op === '<=') return { lo: -Infinity, loIn: 1, hi: x, hiIn: op === '<=' ? 1 : 0, negate };
  return { lo: x, loIn: 1, hi: x, hiIn: 1, negate };
}

/** Passes everything (the loops below take one bound in the same pass). */
const ANY_SIZE: SizeBound = { lo: NaN, loIn: 0, hi: NaN, hiIn: 0, negate: 1 };

/**
 * 1 when size `v` passes, else 0. NaN (no size) fails every comparison, as NULL does in SQL; negated,
 * it passes (NOT ifnull(..., 0)). Bitwise, no branch on the data, and small enough to be inlined: the
 * loops below add it to their write index instead of branching on it (5M ids, half of them kept: a
 * branch per id mispredicted about every other time, 70-160 ms against 18 ms without, under load).
 */
function passes(v: number, b: SizeBound): number {
  // `+` on a comparison: a number without a branch (`? 1 : 0` compiled to one, ~1.5x slower).
  return ((+(v > b.lo) | (+(v === b.lo) & b.loIn)) & (+(v < b.hi) | (+(v === b.hi) & b.hiIn))) ^ b.negate;
}

/** Keeps the first `n` ids (in place) whose size passes every bound; returns the kept ones. */
function keepSizes(
  ids: Uint32Array | Float64Array,
  n: number,
  size: Float64Array,
  bounds: readonly SizeBound[],
): Uint32Array | Float64Array {
  for (const b of bounds) {
    let k = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      ids[k] = id;
      k += passes(size[id], b);
    }
    n = k;
  }
  return ids.subarray(0, n);
}

/**
 * The records up to `top` (a combo in `cid`) whose sender passes (`sender` null: not tested) and whose
 * size passes `first` (`size` null: not tested), in `out[0..n)`. Counted first: the result is exact in
 * size, and the pass is cheaper than growing an array. One loop per case, each without a branch on
 * the data (passes()); a loop that reads no array it needs not lets a mirror lack that part.
 */
function everyRecord(
  cid: Uint16Array | Uint32Array,
  top: number,
  pass: Uint8Array,
  sender: Uint16Array | Uint32Array | null,
  size: Float64Array | null,
  first: SizeBound | undefined,
): [Uint32Array, number] {
  const b = first ?? ANY_SIZE;
  let n = 0;
  if (sender !== null && size !== null)
    for (let id = 1; id <= top; id++) n += +(cid[id] !== 0) & pass[sender[id]] & passes(size[id], b);
  else if (sender !== null) for (let id = 1; id <= top; id++) n += +(cid[id] !== 0) & pass[sender[id]];
  else if (size !== null) for (let id = 1; id <= top; id++) n += +(cid[id] !== 0) & passes(size[id], b);
  else for (let id = 1; id <= top; id++) n += +(cid[id] !== 0);
  // One more: each id is written, then kept by moving the index past it.
  const out = new Uint32Array(n + 1);
  n = 0;
  if (sender !== null && size !== null)
    for (let id = 1; id <= top; id++) {
      out[n] = id;
      n += +(cid[id] !== 0) & pass[sender[id]] & passes(size[id], b);
    }
  else if (sender !== null)
    for (let id = 1; id <= top; id++) {
      out[n] = id;
      n += +(cid[id] !== 0) & pass[sender[id]];
    }
  else if (size !== null)
    for (let id = 1; id <= top; id++) {
      out[n] = id;
      n += +(cid[id] !== 0) & passes(size[id], b);
    }
  else
    for (let id = 1; id <= top; id++) {
      out[n] = id;
      n += +(cid[id] !== 0);
    }
  return [out, n];
}

/**
 * The filter's ids when its search holds `from:` or `size` terms and the mirror is complete, else
 * undefined (the caller compiles the filter whole). `restIds` gives the ids of a filter without
 * those terms (every record for none), ascending, or null for more than the caller wants.
 */
export function valueTermIds(
  db: Database,
  filter: FilterModel,
  restIds: (rest: FilterModel) => Ids | null | undefined,
): Ids | null | undefined {
  const q = filter.q;
  if (typeof q !== 'string' || q.trim() === '') return undefined;
  const parsed = tryParseSearch(q, filter.timeZone === undefined ? {} : { timeZone: filter.timeZone });
  if (!parsed.ok) return undefined;
  const picked = parsed.terms.filter(isValueTerm);
  if (picked.length === 0) return undefined;
  const sizes = picked.filter((t) => t.kind === 'field' && t.field.kind === 'size').map(boundOf);
  const senders = picked.filter((t) => t.kind === 'field' && t.field.name === 'from');
  const coverage = factsCoverage(db);
  // A mirror restored without sizes or without senders (the CLI: only what its search tests) answers
  // no term of the part it lacks.
  const m = valuesMirror(db, coverage, sizes.length > 0, senders.length > 0);
  if (m === null) return undefined;
  const pass = senderPass(db, q, senders, m);
  // No sender term: no sender read (a mirror without senders has none to read).
  const sender = senders.length > 0 ? m.sender : null;
  const { size } = m;
  const rest: FilterModel = { ...filter, q: withoutTerms(q, picked) };
  // Nothing else in the filter: every record, read from the facts mirror (a record up to the coverage
  // has a combo there iff it exists) without a list of all ids first (5M rows: 20 MB to fault in).
  const facts = compileWhere(rest).sql === '1' ? factsMirror(db, coverage) : null;
  if (facts !== null) {
    const { cid } = facts;
    const top = Math.min(coverage, cid.length - 1);
    // The first size bound in the same pass, the others after it.
    const [out, n] = everyRecord(cid, top, pass, sender, sizes.length > 0 ? size : null, sizes[0]);
    return keepSizes(out, n, size, sizes.slice(1));
  }
  const base = restIds(rest);
  if (base === null || base === undefined) return base;
  // In place: the rest's ids are a fresh array, and the write index never passes the read index.
  let n = base.length;
  if (sender !== null) {
    n = 0;
    for (let i = 0; i < base.length; i++) {
      const id = base[i];
      base[n] = id;
      n += pass[sender[id]];
    }
  }
  return keepSizes(base, n, size, sizes);
}
