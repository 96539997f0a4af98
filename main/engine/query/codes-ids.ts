/**
 * A filter's id set from the page reader's own value codes (column-codes.ts), for searches made only
 * of status, substatus, details, region, interface and domain terms and after:/before: bounds
 * (negated or not; the bounds over the hour codes, time-codes.ts).
 *
 * Why: without the aggregate reader's set (the bench's bare page reader; the CLI has no codes and
 * stays on SQL), the page reader found such a set by SQL, one row per match: 5M rows under load,
 * `status:error` (800k ids) 0.3-1.2 s, `-status:error` (4.2M) 1.5-3 s, paid by the first page of
 * every sort by a coded column and by deeper pages of the indexed ones. Here each term is evaluated
 * once per distinct value of its column, and the set is one pass over the codes (~10-20 ms at 5M).
 *
 * Exact: each term is compiled by the same compiler as for records (filter.ts) and evaluated in SQL
 * over the column's distinct values, shaped as a `records` table with that one column: a term that
 * names anything else does not compile there, and the search is declined. Terms combine as
 * filter.ts searchPart combines them (positive terms of one field ORed, the rest ANDed); every such
 * term names one column, so a record matches iff its code passes each column's mask. The codes cover
 * every record of the caller's read transaction (columnCodes), code 0 (no record) passes no mask.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import type { SearchTerm } from '../../../common/search-syntax';
import { plainSearch } from './plain-search';
import { columnCodes, HOUR_CODE_EXPR, type ColumnCodes } from './column-codes';
import { compileWhere } from './filter';
import { timeMask } from './time-codes';

/** Coded columns whose values are stored as the records hold them (not lower()ed): a term reads them as is. */
const PLAIN_CODED: readonly string[] = [
  'status',
  'substatus',
  'status_details',
  'processing_region',
  'entry_interface',
];

/**
 * Coded columns kept as an expression of the record's column (lower()ed): a term reads them where it
 * names that expression whole, the expression standing for the column of the distinct values. A term
 * naming the column otherwise (case-sensitive) does not compile over them, and declines. `domain:` is
 * `lower(message_to_domain) = lower(?)`: without this the page reader found its set by SQL (5M,
 * `domain:web.de`, 500k ids), and its first page by To Domain desc walked records_to_domain past every
 * yahoo.com entry before it: 547 ms (13b).
 */
const LOWERED_CODED: readonly string[] = ['lower(message_to_domain)'];

/** The name a lowered column's distinct values take in `passing`. */
const LOWERED_NAME = 'di_coded_value';

/** Codes of `col` whose value passes `sql` (a WHERE body over one column named `name`), or null. */
function passing(
  db: Database,
  col: ColumnCodes,
  name: string,
  sql: string,
  params: readonly unknown[],
): Uint8Array | null {
  let codes: number[];
  try {
    codes = db
      .prepare(
        `WITH records(code, ${name}) AS (SELECT key, value FROM json_each(?)) SELECT code FROM records WHERE ${sql}`,
      )
      .pluck()
      .all(JSON.stringify(col.values), ...params) as number[];
  } catch {
    return null; // names another column (or none of these): not a term of this column
  }
  const mask = new Uint8Array(col.values.length);
  // Code 0 stands for no record (its value slot is a placeholder): it never passes.
  for (const c of codes) if (c > 0) mask[c] = 1;
  return mask;
}

/** A term's column and its mask over that column's codes (2: only the ids in `exact` pass). */
interface TermMask {
  readonly expr: string;
  readonly col: ColumnCodes;
  readonly mask: Uint8Array;
  readonly exact?: ReadonlySet<number>;
}

/** A term's column and its mask over that column's codes, or null when no coded column serves it. */
function termMask(db: Database, filter: FilterModel, q: string, t: SearchTerm): TermMask | null {
  if (t.kind !== 'field') return null;
  const where = compileWhere({
    q: q.slice(t.start, t.end),
    ...(filter.timeZone === undefined ? {} : { timeZone: filter.timeZone }),
  });
  if (t.field.kind === 'date') {
    const got = columnCodes(db, HOUR_CODE_EXPR);
    if (got === null || t.number === undefined) return null;
    const term = { after: t.field.name === 'after', ms: t.number, negate: t.negate };
    const m = timeMask(db, got.col, got.upto, term, where);
    return m === null ? null : { expr: HOUR_CODE_EXPR, col: got.col, ...m };
  }
  for (const expr of PLAIN_CODED) {
    const got = columnCodes(db, expr);
    if (got === null) continue;
    const mask = passing(db, got.col, expr, where.sql, where.params);
    if (mask !== null) return { expr, col: got.col, mask };
  }
  for (const expr of LOWERED_CODED) {
    const got = columnCodes(db, expr);
    if (got === null || !where.sql.includes(expr)) continue;
    const sql = where.sql.split(expr).join(LOWERED_NAME);
    const mask = passing(db, got.col, LOWERED_NAME, sql, where.params);
    if (mask !== null) return { expr, col: got.col, mask };
  }
  return null;
}

/**
 * The filter's ids ascending from the codes, or null where they do not serve (other terms, grid
 * conditions or a brushed time range, codes not loaded). Call inside the caller's read transaction.
 */
export function codesIds(db: Database, filter: FilterModel): Uint32Array | null {
  const search = plainSearch(filter);
  if (search === null || search.terms.length === 0) return null;
  const { q, terms } = search;
  // Per column: the AND of its constraints; a constraint is a negated term, or the OR of a field's
  // positive terms (searchPart's grouping).
  const groups = new Map<string, Uint8Array>();
  const ands: TermMask[] = [];
  // Time terms AND (filter.ts searchPart), each with its own hour of exact ids: narrowed one by one.
  const times: TermMask[] = [];
  let upto = Infinity;
  for (const t of terms) {
    const m = termMask(db, filter, q, t);
    if (m === null || t.kind !== 'field') return null;
    upto = Math.min(upto, columnCodes(db, m.expr)?.upto ?? 0);
    if (m.exact !== undefined) times.push(m);
    else if (t.negate) ands.push(m);
    else {
      const key = `${t.field.name}\u0000${m.expr}`;
      const g = groups.get(key);
      if (g === undefined) {
        groups.set(key, m.mask);
        ands.push(m);
      } else for (let c = 0; c < g.length; c++) g[c] |= m.mask[c];
    }
  }
  const byCol = new Map<string, { codes: ColumnCodes['codes']; mask: Uint8Array }>();
  for (const a of ands) {
    const had = byCol.get(a.expr);
    if (had === undefined) byCol.set(a.expr, { codes: a.col.codes, mask: Uint8Array.from(a.mask) });
    else for (let c = 0; c < had.mask.length; c++) had.mask[c] &= a.mask[c];
  }
  const cols: Pass[] = [
    ...byCol.values(),
    ...times.map((m) => ({ codes: m.col.codes, mask: m.mask, exact: m.exact })),
  ];
  const top = Math.min(upto, ...cols.map((c) => c.codes.length - 1));
  // The first column's pass, then the others narrow it in place: plain loops over typed arrays
  // (a loop over the column list per record took twice the time).
  let list = firstPass(cols[0], top);
  for (let i = 1; i < cols.length; i++) list = narrow(list, cols[i]);
  // A small set gives the rest of the id-sized buffer back.
  return list.length < top / 2 ? list.slice() : list;
}

/** One column's constraint: a mask over its codes (2: only the ids in `exact` pass). */
interface Pass {
  readonly codes: ColumnCodes['codes'];
  readonly mask: Uint8Array;
  readonly exact?: ReadonlySet<number>;
}

function firstPass({ codes, mask, exact }: Pass, top: number): Uint32Array {
  const out = new Uint32Array(Math.max(0, top));
  let n = 0;
  for (let id = 1; id <= top; id++) {
    const m = mask[codes[id]];
    if (m === 1 || (m === 2 && exact?.has(id) === true)) out[n++] = id;
  }
  return out.subarray(0, n);
}

function narrow(list: Uint32Array, { codes, mask, exact }: Pass): Uint32Array {
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const id = list[i];
    const m = mask[codes[id]];
    if (m === 1 || (m === 2 && exact?.has(id) === true)) list[n++] = id;
  }
  return list.subarray(0, n);
}

/** Whether the search has an after:/before: term (its set is a pass over the hour codes). */
export function timeBounded(filter: FilterModel): boolean {
  return plainSearch(filter)?.terms.some((t) => t.kind === 'field' && t.field.kind === 'date') === true;
}
