/**
 * A page sorted by a unique column from its bucket codes (unique-codes.ts): the buckets covering
 * [startRow, endRow) in the sort's order, their ids, the values of those in buckets holding more than
 * one value read by id, sorted exactly (value, then id), sliced. Whatever the depth, one pass over the
 * codes (unfiltered: only between the picked buckets' lowest and highest ids) or over the filter's id
 * set, and a few hundred rowid lookups.
 */
import type { Database } from 'better-sqlite3';
import { uniqueCodes, type UniqueColumn } from './unique-codes';
import type { SqlPart } from './filter';
import { compareSqlValues, type SqlValue } from './sql-order';
import { rangeOrdered } from './unique-range';
import { bucketOrder, bucketWindow } from './unique-order';

type IdList = Uint32Array | Float64Array;

/** Records of the picked buckets read by id at most; more (a skewed column) is left to SQL. */
export const MAX_PICKED = 50_000;

function countList(col: UniqueColumn, list: IdList): Uint32Array {
  const counts = new Uint32Array(col.counts.length);
  const { codes } = col;
  for (let i = 0; i < list.length; i++) {
    const id = list[i];
    if (id < codes.length) counts[codes[id]]++;
  }
  counts[0] = 0;
  return counts;
}

/** The codes covering [start, end) in the sort's order, and how many rows come before the first (tests pick with it). */
export function pick(
  counts: Uint32Array,
  asc: boolean,
  start: number,
  end: number,
): { codes: number[]; before: number } {
  const codes: number[] = [];
  let before = 0;
  let skipped = 0;
  const n = counts.length;
  for (let k = 1; k < n && before < end; k++) {
    const code = asc ? k : n - k;
    const c = counts[code];
    if (c === 0) continue;
    if (before + c > start) codes.push(code);
    else skipped += c;
    before += c;
  }
  return { codes, before: skipped };
}

/** The picked codes' ids, per code in ascending id order. */
function idsOf(col: UniqueColumn, list: IdList | null, picked: readonly number[]): Map<number, number[]> {
  const out = new Map<number, number[]>(picked.map((c) => [c, []]));
  const { codes } = col;
  const want = new Uint8Array(col.counts.length);
  for (const c of picked) want[c] = 1;
  if (list !== null) {
    for (let i = 0; i < list.length; i++) {
      const id = list[i];
      if (id < codes.length && want[codes[id]] === 1) (out.get(codes[id]) as number[]).push(id);
    }
    return out;
  }
  let lo = Infinity;
  let hi = 0;
  for (const c of picked) {
    lo = Math.min(lo, col.firstId[c]);
    hi = Math.max(hi, col.lastId[c]);
  }
  // A spread column: the buckets' ids up to the order's top as slices, a pass above it (unique-order.ts).
  const order = bucketOrder(col);
  if (order !== null) {
    for (const c of picked)
      if (c < order.offsets.length - 1)
        for (const id of order.ids.subarray(order.offsets[c], order.offsets[c + 1]))
          (out.get(c) as number[]).push(id);
    lo = Math.max(lo, order.top + 1);
  }
  for (let id = lo; id <= hi && id < codes.length; id++) {
    const c = codes[id];
    if (want[c] === 1) (out.get(c) as number[]).push(id);
  }
  return out;
}

/**
 * Ids of rows [startRow, endRow) sorted by the unique column `expr` (`asc`), ties by id (`idAsc`),
 * over every record (`list` null) or the ids in `list` (ascending); null where the codes do not
 * serve (not loaded, behind, a bucket too big to read). Call inside the caller's read transaction.
 */
export function uniquePageIds(
  db: Database,
  expr: string,
  asc: boolean,
  idAsc: boolean,
  startRow: number,
  endRow: number,
  list: IdList | null,
  maxPicked = MAX_PICKED,
): number[] | null {
  const col = uniqueCodes(db, expr);
  if (col === null) return null;
  const counts = list === null ? col.counts : countList(col, list);
  const { codes, before } = pick(counts, asc, startRow, endRow);
  let total = 0;
  let odd = 0;
  for (const c of codes) {
    total += counts[c];
    if (c % 2 === 1) odd += counts[c];
  }
  // Only odd buckets' values are read by id; an even bucket (one value) costs its ids from the pass
  // over the set, or unfiltered its window in id order. SMTP reply: one 250 reply holds 1.4M of 5M
  // records, and `-status:error` desc picks it (13b).
  if (odd > maxPicked) return null;
  if (total > maxPicked) {
    const at = { counts, before, startRow, endRow };
    return windowed(db, col, expr, { asc, idAsc }, codes, list, at);
  }
  const page =
    (list === null ? rangeOrdered(db, col, expr, asc, idAsc, codes, total) : null) ??
    ordered(db, expr, asc, idAsc, codes, idsOf(col, list, codes));
  return page.slice(startRow - before, endRow - before);
}

/**
 * Rows [startRow, endRow) over picked codes of which one is too big to gather whole (an even bucket:
 * one value, its rows in id order): per code only its window; an even one's over every record a slice
 * of the column's order (unique-order.ts, kept for such buckets), else (a filter's set, or the order
 * not built yet) by a pass over the set or the codes from its id order's start until the window is
 * read. `-status:error` by SMTP reply desc at 5M gathered the 1.4M ids of its 250 reply first.
 */
function windowed(
  db: Database,
  col: UniqueColumn,
  expr: string,
  dirs: { asc: boolean; idAsc: boolean },
  codes: readonly number[],
  list: IdList | null,
  p: { counts: Uint32Array; before: number; startRow: number; endRow: number },
): number[] {
  const page: number[] = [];
  let at = p.before;
  for (const c of codes) {
    const n = p.counts[c];
    const from = Math.max(0, p.startRow - at);
    const to = Math.min(n, p.endRow - at);
    at += n;
    if (c % 2 === 1) {
      page.push(...ordered(db, expr, dirs.asc, dirs.idAsc, [c], idsOf(col, list, [c])).slice(from, to));
      continue;
    }
    // Every record, the bucket's ids kept in order (unique-order.ts): the window is a slice.
    const order = list === null ? bucketOrder(col) : null;
    if (order !== null) {
      page.push(...bucketWindow(col, order, c, dirs.idAsc, from, to));
      continue;
    }
    const len = list === null ? col.lastId[c] - col.firstId[c] + 1 : list.length;
    const base = list === null ? col.firstId[c] : 0;
    let seen = 0;
    for (let k = 0; k < len && seen < to; k++) {
      const i = base + (dirs.idAsc ? k : len - 1 - k);
      const id = list === null ? i : list[i];
      if (id >= col.codes.length || col.codes[id] !== c) continue;
      if (seen >= from) page.push(id);
      seen++;
    }
  }
  return page;
}

/** The picked codes' ids in the sort's order: odd buckets by their values read by id, then id. */
function ordered(
  db: Database,
  expr: string,
  asc: boolean,
  idAsc: boolean,
  codes: readonly number[],
  ids: Map<number, number[]>,
): number[] {
  const mixed = codes.filter((c) => c % 2 === 1).flatMap((c) => ids.get(c) ?? []);
  const values = new Map<number, SqlValue>();
  if (mixed.length > 0) {
    const rows = db
      .prepare(`SELECT id, ${expr} FROM records WHERE id IN (SELECT value FROM json_each(?))`)
      .raw()
      .all(JSON.stringify(mixed)) as [number, SqlValue][];
    for (const [id, v] of rows) values.set(id, v);
  }
  const byId = (a: number, b: number): number => (idAsc ? a - b : b - a);
  const page: number[] = [];
  for (const c of codes) {
    const group = ids.get(c) ?? [];
    if (c % 2 === 1)
      group.sort((a, b) => {
        const d = compareSqlValues(values.get(a) ?? null, values.get(b) ?? null);
        return d !== 0 ? (asc ? d : -d) : byId(a, b);
      });
    else if (!idAsc) group.reverse();
    for (const id of group) page.push(id);
  }
  return page;
}

/** Records a probe tests against the filter: the first buckets' (enough for most filters), then more. */
export const PROBE_RECORDS = [2_000, 20_000] as const;

/**
 * A first page under a filter whose id set is not known, without finding it: the records of the
 * first buckets in the sort's order are tested against the filter by id; once the buckets taken hold
 * endRow matches, those are the page's rows (every record sorting before them was tested). Finding
 * the id set first cost 150-190 ms for `status:error` and 280-530 ms for `after:2026-10-20` at 5M
 * (under load), and for a broad filter more than the whole-table sort. Null when the buckets of
 * PROBE_RECORDS records hold fewer matches: the caller finds the id set.
 */
export function uniqueProbeIds(
  db: Database,
  expr: string,
  asc: boolean,
  idAsc: boolean,
  endRow: number,
  where: SqlPart,
): number[] | null {
  const col = uniqueCodes(db, expr);
  if (col === null) return null;
  const n = col.counts.length;
  for (const limit of PROBE_RECORDS) {
    const codes: number[] = [];
    let total = 0;
    for (let k = 1; k < n && total < Math.max(limit, 4 * endRow); k++) {
      const code = asc ? k : n - k;
      if (col.counts[code] === 0) continue;
      codes.push(code);
      total += col.counts[code];
    }
    if (total > MAX_PICKED) return null;
    const ids = idsOf(col, null, codes);
    const all = codes.flatMap((c) => ids.get(c) ?? []);
    const matched = new Set(
      db
        .prepare(`SELECT id FROM records WHERE id IN (SELECT value FROM json_each(?)) AND (${where.sql})`)
        .pluck()
        .all(JSON.stringify(all), ...where.params) as number[],
    );
    // Every record is in the buckets taken: the filter's matches are all there is.
    const whole = total === col.counts.reduce((a, b) => a + b, 0);
    if (matched.size >= endRow || whole) {
      for (const [c, group] of ids)
        ids.set(
          c,
          group.filter((id) => matched.has(id)),
        );
      return ordered(db, expr, asc, idAsc, codes, ids);
    }
  }
  return null;
}
