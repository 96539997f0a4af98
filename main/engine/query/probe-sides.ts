/**
 * The first-page probe of sort-ids.ts for the partial grid indexes (issue 11: records_to,
 * records_to_domain, records_correlation, records_smtp, records_usage hold the records up to a bound K
 * only). The probe of a whole index skipped them, so a filtered first page sorted by To, Domain,
 * Correlation ID, SMTP reply or Usage ID sorted the filter's ids or walked the index with SQLite's
 * plan (1M rows, quiet: `status:error` by To asc 479 ms, by Correlation ID 348-466 ms; `domain:web.de`
 * by To 356-459 ms), where the matches of the index's first entries fill the page.
 *
 * A page is read from two sides, as keyset-sides.ts pages: the first PROBE_ENTRIES entries of the
 * index (`id <= K`, in key order, one lookup each) and every match of the delta above K (read by
 * rowid, `NOT INDEXED`: at most the index's share of the case, 1 %). The union is ordered by
 * (key, id) and only a prefix of that order is taken that both sides hold completely. The index side
 * is read in index order and stops once the page is covered (a broad filter: about endRow lookups);
 * read to the probe's end, it holds the rows before the probe's last entry. For an index over the column alone (rowid next, so entries of one key come
 * in id order) that is every row up to that entry's (key, id); for the others (records_to holds time
 * after the address) the rows of keys strictly before its key. So the page is exact whatever K is,
 * and declined (null) when that prefix holds fewer than endRow rows.
 */
import type { Database } from 'better-sqlite3';
import type { Param, SqlPart } from './filter';
import { GRID_PARTIAL } from './grid-partial';
import { partialIndexUpto, WHOLE } from './partial-index';
import type { Probe } from './sort-ids';
import type { ResolvedSortKey } from './sql';

/** The partial index whose first column is `expr` (its columns as created), or null. */
export function partialFor(db: Database, expr: string): { name: string; cols: string; upto: number } | null {
  for (const def of GRID_PARTIAL) {
    const first = def.columns.split(',')[0].trim();
    if (first !== expr) continue;
    const upto = partialIndexUpto(db, def.name);
    // Missing, or whole (an old workspace's: sort-ids.ts probes those itself).
    if (upto === null || upto === WHOLE) return null;
    return { name: def.name, cols: def.columns, upto };
  }
  return null;
}

/**
 * Whether a row (k, id) of the union sorts at or before the probe's last entry (key `lastK`, id
 * `lastId`) in the sort's order, as SQL over the union's columns `k` and `id`; NULL keys first when
 * ascending, last when descending, as ORDER BY puts them. `exact`: the index yields a key's entries in
 * id order, so the last entry's group counts up to its id; otherwise only keys strictly before it.
 */
export function withinProbe(asc: boolean, exact: boolean, lastK: Param | null, lastId: number): SqlPart {
  if (exact) {
    if (lastK === null)
      return asc
        ? { sql: 'k IS NULL AND id <= ?', params: [lastId] }
        : { sql: '(k IS NOT NULL OR id >= ?)', params: [lastId] };
    return asc
      ? { sql: '(k IS NULL OR (k, id) <= (?, ?))', params: [lastK, lastId] }
      : { sql: '(k, id) >= (?, ?)', params: [lastK, lastId] };
  }
  if (lastK === null) return asc ? { sql: '0', params: [] } : { sql: 'k IS NOT NULL', params: [] };
  return asc ? { sql: '(k IS NULL OR k < ?)', params: [lastK] } : { sql: 'k > ?', params: [lastK] };
}

/** Rows in the sort's order at or before the last match the index side read, as SQL over `k`, `id`. */
export function throughKey(asc: boolean, k: Param | null): SqlPart {
  if (k === null) return asc ? { sql: 'k IS NULL', params: [] } : { sql: '1', params: [] };
  return asc ? { sql: '(k IS NULL OR k <= ?)', params: [k] } : { sql: 'k >= ?', params: [k] };
}

/**
 * The raw column of an index on (lower(col), col) (records_to_domain), else null. Its entries of one
 * lowered key come in (spelling, id) order: in id order where they all hold one spelling, which a
 * common domain does (`web.de`), so a page inside its group need not read the whole group (5M rows,
 * `domain:web.de` by To Domain: ~750k entries, 3-7 s under load).
 */
export function spellingColumn(cols: string): string | null {
  const m = /^lower\((\w+)\),\s*(\w+)$/.exec(cols.trim());
  return m !== null && m[1] === m[2] ? m[1] : null;
}

/**
 * Whether every entry of `index` (whose rows `side` bounds, e.g. `id <= K AND`) with lowered key `k`
 * holds the spelling `raw`: two seeks, one either side of it. NULL keys hold NULL only.
 */
export function oneSpelling(
  db: Database,
  index: string,
  side: string,
  col: string,
  k: Param | null,
  raw: Param | null,
): boolean {
  if (k === null) return true;
  const other = (op: string): boolean =>
    db
      .prepare(
        `SELECT 1 FROM records INDEXED BY ${index} WHERE ${side} lower(${col}) = ? AND ${col} ${op} ? LIMIT 1`,
      )
      .get(k, raw) !== undefined;
  return !other('<') && !other('>');
}

/**
 * The index side's matches among its first `probe` entries, in index order, and the prefix of the
 * sort's order they hold completely. Reading stops as soon as the page is covered: for an index in
 * (key, id) order at the endRow-th match, for the others at the first match of a later key (so the
 * endRow-th match's key group is whole). Otherwise the probe is read to its end (bound: null).
 */
function indexSide(
  db: Database,
  entries: string,
  where: SqlPart,
  asc: boolean,
  exact: boolean,
  endRow: number,
  probe: number,
  /** Where the index is on (lower(col), col): its name, bound and col (see spellingColumn). */
  spelled: { readonly index: string; readonly side: string; readonly col: string } | null = null,
): { readonly ids: number[]; readonly bound: SqlPart | null } {
  const ids: number[] = [];
  let groupKey: Param | null = null;
  const raw = spelled === null ? 'NULL' : `r.${spelled.col}`;
  // CROSS JOIN keeps the probe the outer loop: rows come in its order, and only its entries are
  // looked up; iterating lets the read stop early (an outer ORDER BY would look up all of them).
  const rows = db
    .prepare(
      `SELECT r.id, p.k, ${raw} FROM (${entries} LIMIT ?) AS p CROSS JOIN records AS r ON r.id = p.pid WHERE ${where.sql}`,
    )
    .raw()
    .iterate(probe, ...where.params) as IterableIterator<[number, Param | null, Param | null]>;
  for (const [id, k, spelling] of rows) {
    if (ids.length >= endRow && !exact && k !== groupKey) {
      rows.return?.();
      return { ids, bound: throughKey(asc, groupKey) };
    }
    ids.push(id);
    if (ids.length === endRow) {
      groupKey = k;
      // A group of one spelling is in id order: the page ends here, as in an exact index.
      if (
        exact ||
        (spelled !== null && oneSpelling(db, spelled.index, spelled.side, spelled.col, k, spelling))
      ) {
        rows.return?.();
        return { ids, bound: withinProbe(asc, true, k, id) };
      }
    }
  }
  return { ids, bound: null };
}

/**
 * Rows [startRow, endRow) of the filter sorted by `keys` (single column plus the id tie-break), from a
 * partial index's first `probe` entries and its delta (see above); null when no partial index starts
 * with the sort column.
 */
export function probeSides(
  db: Database,
  where: SqlPart,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  endRow: number,
  probe: number,
): Probe | null {
  const expr = keys[0].expr;
  const index = partialFor(db, expr);
  if (index === null) return null;
  if (endRow > probe) return { page: null, sparse: false };
  const asc = keys[0].dir === 'asc';
  const dir = asc ? 'ASC' : 'DESC';
  const exact = index.cols === expr;
  const order = exact ? `${expr} ${dir}, id ${dir}` : `${expr} ${dir}`;
  // The literal bound lets SQLite use the partial index (a bound parameter would not prove `id <= K`).
  const entries = `SELECT id AS pid, ${expr} AS k FROM records INDEXED BY ${index.name} WHERE id <= ${index.upto} ORDER BY ${order}`;
  const col = exact ? null : spellingColumn(index.cols);
  const spelled = col === null ? null : { index: index.name, side: `id <= ${index.upto} AND`, col };
  const side = indexSide(db, entries, where, asc, exact, endRow, probe, spelled);
  let bound = side.bound;
  if (bound === null) {
    // Read to its end: the rows before its last entry are whole (all rows if it read the whole side).
    const last = db
      .prepare(`${entries} LIMIT 1 OFFSET ?`)
      .raw()
      .get(probe - 1) as [number, Param | null] | undefined;
    bound = last === undefined ? { sql: '1', params: [] } : withinProbe(asc, exact, last[1], last[0]);
  }
  const delta = db
    .prepare(
      `SELECT id FROM (SELECT id, ${expr} AS k FROM records NOT INDEXED WHERE id > ${index.upto} AND (${where.sql}))
       WHERE ${bound.sql} ORDER BY k ${dir}, id ${dir} LIMIT ?`,
    )
    .pluck()
    .all(...where.params, ...bound.params, endRow) as number[];
  // Both sides' rows inside the bound, in the sort's order: the page if they fill it.
  const rows = db
    .prepare(
      `SELECT id, ifnull(${bound.sql}, 0) AS inside FROM (SELECT id, ${expr} AS k FROM records
         WHERE id IN (SELECT value FROM json_each(?))) ORDER BY k ${dir}, id ${dir} LIMIT ?`,
    )
    .raw()
    .all(...bound.params, JSON.stringify([...side.ids, ...delta]), endRow) as [number, number][];
  const whole = rows.filter((r) => r[1] === 1).map((r) => r[0]);
  if (whole.length >= endRow || bound.sql === '1')
    return { page: whole.slice(startRow, endRow), sparse: false };
  return { page: null, sparse: side.ids.length + delta.length < endRow };
}
