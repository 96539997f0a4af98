/**
 * A page sorted by a unique column from its bucket codes (unique-codes.ts): the buckets covering
 * [startRow, endRow) in the sort's order, their ids, the values of those in buckets holding more than
 * one value read by id, sorted exactly (value, then id), sliced. Whatever the depth, one pass over the
 * codes (unfiltered: only between the picked buckets' lowest and highest ids) or over the filter's id
 * set, and a few hundred rowid lookups.
 */
import type { Database } from 'better-sqlite3';
import { uniqueCodes, type UniqueColumn } from './unique-codes';
import { compareSqlValues, type SqlValue } from './sql-order';

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

/** The codes covering [start, end) in the sort's order, and how many rows come before the first. */
function pick(
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
): number[] | null {
  const col = uniqueCodes(db, expr);
  if (col === null) return null;
  const counts = list === null ? col.counts : countList(col, list);
  const { codes, before } = pick(counts, asc, startRow, endRow);
  let total = 0;
  for (const c of codes) total += counts[c];
  if (total > MAX_PICKED) return null;
  const ids = idsOf(col, list, codes);
  // Values of the records in buckets of more than one value (odd codes), read by id.
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
  return page.slice(startRow - before, endRow - before);
}
