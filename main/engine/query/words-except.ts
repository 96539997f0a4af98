/**
 * Negated free words alone (`-jane`, `-jane -anna`) on the aggregate reader: the set is every record
 * less the words' sets (both kept across searches, word-ids.ts), and its combos and hours are every
 * record's less the words', both counted once; its id list is made only when something reads it
 * (the page reader's sorted pages, a histogram whose units are not whole hours).
 *
 * Why: `-jane` at 5M rows (4.58M ids) made a pass over every record skipping jane's ids to list the
 * rest, then a pass over those 4.58M ids through the facts mirror for the combos and hours: with
 * jane's set kept, still ~150-200 ms of CPU per search through the host under load (172-635 ms all
 * four together). Here: one subtraction of ~1 400 combos and ~700 hours, and one pass over the
 * mirror's times for the set's exact first and last time.
 *
 * Exact: every record's set and the words' sets are read in the same read transaction under one
 * records fingerprint, and each word's set holds records only, so it is a subset of every record's
 * (the count is the difference). Only where no record lies above record_facts' coverage (the combos'
 * pass then keeps per-record rows with hours): otherwise the sets take the ordinary path.
 */
import type { Database } from 'better-sqlite3';
import type { Combo } from './facets-plan';
import type { FactRows } from './facts-read';
import { everyIdExcept } from './complement-ids';
import { mergeDistinct } from './id-lists';
import type { MatchIds } from './match-ids';
import type { IdSetCombos } from './record-facts';
import { keptEvery } from './word-ids';

interface Except {
  readonly every: MatchIds;
  readonly minus: MatchIds;
}

const parts = new WeakMap<MatchIds, Except>();

/** Whether everyExcept made this set (tests check the path taken). */
export function isEveryExcept(ids: MatchIds | null): boolean {
  return ids !== null && parts.has(ids);
}

/** Ascending `every` less ascending `minus` (a subset of it). */
function subtract(every: Uint32Array, minus: Uint32Array): Uint32Array {
  const out = new Uint32Array(every.length - minus.length);
  let n = 0;
  let k = 0;
  for (let i = 0; i < every.length; i++) {
    const id = every[i];
    while (k < minus.length && minus[k] < id) k++;
    if (k < minus.length && minus[k] === id) continue;
    out[n++] = id;
  }
  return n === out.length ? out : out.subarray(0, n);
}

/**
 * Every record but the words' (ascending sets, MatchIds of word-ids.ts), as a set whose list is made
 * on first read; null without a complete facts mirror. Call inside the caller's read transaction.
 */
export function everyExcept(db: Database, words: readonly MatchIds[]): MatchIds | null {
  const every = keptEvery(db, () => {
    const list = everyIdExcept(db, [], Number.MAX_SAFE_INTEGER);
    return list === null || list === undefined ? null : wholeSet(list);
  });
  if (every === null || words.length === 0) return null;
  let minus = words[0];
  for (const w of words.slice(1)) {
    if (!(minus.list instanceof Uint32Array) || !(w.list instanceof Uint32Array)) return null;
    minus = wholeSet(mergeDistinct(minus.list, w.list));
  }
  if (!(minus.list instanceof Uint32Array) || !(every.list instanceof Uint32Array)) return null;
  const [all, less] = [every.list, minus.list];
  let list: Uint32Array | undefined;
  let json: string | undefined;
  const out: MatchIds = {
    count: every.count - minus.count,
    get list(): Uint32Array {
      list ??= subtract(all, less);
      return list;
    },
    get json(): string {
      json ??= `[${this.list.join(',')}]`;
      return json;
    },
  };
  parts.set(out, { every, minus });
  return out;
}

/** A set of a ready list (match-ids.ts idSet without its import, which would be a cycle at load). */
function wholeSet(list: Uint32Array): MatchIds {
  return {
    count: list.length,
    list,
    get json(): string {
      return `[${list.join(',')}]`;
    },
  };
}

/** A combo's place in a map: its facet columns (fact_combos holds each combination once). */
const keyOf = (c: Combo): string => JSON.stringify(c.slice(0, -1));

/**
 * The combos, span and rows of a set made by everyExcept, from every record's and the words' (found
 * by `combosOf`, kept per set); undefined for any other set, null when either lacks hours.
 */
export function exceptCombos(
  ids: MatchIds,
  combosOf: (ids: MatchIds) => IdSetCombos | null,
): IdSetCombos | null | undefined {
  const p = parts.get(ids);
  if (p === undefined) return undefined;
  const all = combosOf(p.every);
  const less = combosOf(p.minus);
  if (all === null || less === null) return null;
  const [a, b] = [all.rows, less.rows];
  if (a?.kind !== 'mirror' || b?.kind !== 'mirror' || a.hours === undefined || b.hours === undefined)
    return null;
  const n = new Map<string, Combo>();
  for (const c of all.combos) n.set(keyOf(c), [...c] as Combo);
  for (const c of less.combos) {
    const k = n.get(keyOf(c));
    if (k === undefined) return null;
    (k[k.length - 1] as number) -= c[c.length - 1] as number;
  }
  const combos = [...n.values()].filter((c) => (c[c.length - 1] as number) > 0);
  const { t, coverage } = a;
  // Rows are kept only without records above the coverage: every id is the mirror's.
  if (p.every.list.length > 0 && p.every.list[p.every.list.length - 1] > coverage) return null;
  const [lo, hi] = spanLeft(p, t, all, less);
  const rows: FactRows = {
    kind: 'mirror',
    t,
    cid: a.cid,
    get ids(): ArrayLike<number> {
      return ids.list;
    },
    coverage,
    outcomeOf: a.outcomeOf,
    hours: a.hours.less(b.hours),
  };
  return { combos, lo, hi, rows };
}

/** A record with the first and one with the last time among a set (ids; 0: none has a time). */
const edges = new WeakMap<MatchIds, { readonly first: number; readonly last: number }>();

/** The first and last time of `list`'s records but `minus`'s (ascending), in one pass. */
function span(
  list: ArrayLike<number>,
  minus: ArrayLike<number>,
  t: Float64Array,
): [number, number, number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  let first = 0;
  let last = 0;
  for (let i = 0, k = 0; i < list.length; i++) {
    const id = list[i];
    while (k < minus.length && minus[k] < id) k++;
    if (k < minus.length && minus[k] === id) continue;
    const time = t[id];
    if (time < lo) {
      lo = time;
      first = id;
    }
    if (time > hi) {
      hi = time;
      last = id;
    }
  }
  return [lo, hi, first, last];
}

/** Whether an ascending list holds `id`. */
function holds(list: ArrayLike<number>, id: number): boolean {
  let a = 0;
  let b = list.length - 1;
  while (a <= b) {
    const m = (a + b) >> 1;
    if (list[m] === id) return true;
    if (list[m] < id) a = m + 1;
    else b = m - 1;
  }
  return false;
}

/**
 * The exact first and last time of every record less the words' (null: none has a time). Every
 * record's first and last are found once per kept set; when the words hold neither record, they are
 * the answer, else one pass over the ids left. That pass alone cost 57-189 ms on 5M ids under load.
 *
 * When no word's record has every record's first or last time (the words' span, `less`, from their
 * combos' pass, lies strictly inside every record's, `all`), those times are the answer at once.
 * Why: the first negated word after open paid the pass over every record for its edges, ~105 ms of
 * CPU of `-jane`'s first facets (173-233 ms) at 5M under load.
 */
function spanLeft(
  p: Except,
  t: Float64Array,
  all: IdSetCombos,
  less: IdSetCombos,
): [number | null, number | null] {
  if (all.lo === null || all.hi === null) return [null, null];
  if (less.lo === null || less.hi === null || (less.lo > all.lo && less.hi < all.hi)) return [all.lo, all.hi];
  const every = p.every.list;
  let e = edges.get(p.every);
  if (e === undefined) {
    const [, , first, last] = span(every, [], t);
    e = { first, last };
    edges.set(p.every, e);
  }
  if (e.first === 0) return [null, null];
  const minus = p.minus.list;
  if (!holds(minus, e.first) && !holds(minus, e.last)) return [t[e.first], t[e.last]];
  const [lo, hi] = span(every, minus, t);
  return [lo === Infinity ? null : lo, hi === -Infinity ? null : hi];
}
