/**
 * A first page sorted by Message To under a free word whose id set is not at hand, without the set:
 * records_to (lower(message_to), ...) walked from the word's first trigram candidate address in the
 * sort's order, its entries tested by LIKE in the index, merged with the records the word matches by
 * its other columns (the word's SQL with the addresses left out: a few index lookups).
 *
 * Why: the bucket probe (unique-page.ts uniqueProbeIds) tests the first 2 000 / 20 000 records of the
 * order, but the bench's `jane` addresses all begin `jane.`, ~25 % into the order ascending and ~67 %
 * descending, so the probe failed and the page waited for the word's whole set (416k ids at 5M: the
 * trigram lookup of its 351k candidates, the JSON of 340k address ids, a pass over the address map):
 * 336 / 329 ms a first page by Message To asc / desc on the bench's bare connection (quiet run of the
 * thirteenth session; README, 14c). Here the candidates are read once (one aggregate row) and the
 * walk stops after the page's addresses.
 *
 * Exact: every record matching the word either has an address holding it (found by the walk, which
 * starts at or before the first such address: every vocabulary value holding the word is a trigram
 * candidate, and every covered address is in the vocabulary; records above the index's bound by
 * LIKE) or matches by the word's SQL with its addresses left out. The walk is complete up to the
 * endRow-th address match's value L (ties at L read whole); a record of the other set sorting past
 * L cannot be on the page.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { compileWhere } from './filter';
import { escapeLike, type TextResolver } from './filter-sql';
import { columnBound } from './grid-partial';
import { WHOLE } from './partial-index';
import { soleWord } from './plain-search';
import { createResolver, MAX_RESOLVED_VALUES_AGGREGATE, trigramQuery } from './resolver';
import { SEARCH_COLUMNS } from './search-index';
import { compareSqlValues, type SqlValue } from './sql-order';

/** Trigram candidates read at most (as the aggregate reader's sets, match-ids.ts; `jane` at 5M: 351k). */
const MAX_CANDIDATES = 500_000;

type Row = [number, SqlValue];

/**
 * The word's trigram candidates in one pass: where the walk of the addresses starts (at or before the
 * first lowered address holding the word in the sort's order), the other columns' matching values.
 */
interface Candidates {
  readonly start: SqlValue;
  readonly others: Map<number, string[]>;
}

function candidatesOf(db: Database, word: string, pattern: string, asc: boolean): Candidates | null {
  const to = SEARCH_COLUMNS.indexOf('message_to');
  // Ascending, min(value) bounds every lower(value) from below (lower() only raises bytes) and skips
  // lower() on 340k candidates: the pass took ~0.4-0.6 s against ~1.0 s under load 16 (5M, `jane`).
  // Descending needs the lowered maximum (a vocabulary from before migration 3 holds addresses as
  // first seen). One row: a JS array per candidate cost more than the pass (resolver.ts).
  const start = asc ? 'min(value)' : 'max(lower(value))';
  const row = db
    .prepare(
      `SELECT count(*), ${start} FILTER (WHERE col = ${to}),
            json_group_array(json_array(col, value)) FILTER (WHERE col <> ${to} AND value LIKE ? ESCAPE '\\')
       FROM (SELECT v.col AS col, v.value AS value FROM search_vocab_fts f JOIN search_vocab v ON v.id = f.rowid
             WHERE search_vocab_fts MATCH ? LIMIT ?)`,
    )
    .raw();
  let got: [number, SqlValue, string];
  try {
    got = row.get(pattern, trigramQuery(word), MAX_CANDIDATES + 1) as [number, SqlValue, string];
  } catch (err) {
    // FTS5's parser rejects some terms; the ordinary paths take them.
    if (err instanceof Error && err.name === 'SqliteError') return null;
    throw err;
  }
  if (got[0] > MAX_CANDIDATES) return null;
  const others = new Map<number, string[]>();
  for (const [col, value] of JSON.parse(got[2]) as [number, string][]) {
    const list = others.get(col) ?? [];
    list.push(value);
    others.set(col, list);
  }
  return { start: got[1], others };
}

/**
 * Ids of rows [startRow, endRow) of the records matching the filter's sole free word, ordered by
 * lower(message_to) (`asc`), ties by id (`idAsc`); null where this does not serve (not one free word,
 * no vocabulary or records_to, a column the word is too common in, a clause that would scan the
 * table). `codes`: the column's bucket codes (unique-codes.ts), ordered as the values: the other
 * set's records coded past the page's last address are not read. Call inside a read transaction.
 */
export function wordAddressPage(
  db: Database,
  filter: FilterModel,
  asc: boolean,
  idAsc: boolean,
  startRow: number,
  endRow: number,
  codes?: Uint16Array,
): number[] | null {
  const word = soleWord(filter);
  // Trigrams need three characters; FTS5's parser rejects NUL (the resolver's own limits).
  if (word === null || [...word].length < 3 || word.includes('\u0000')) return null;
  const base = createResolver(db);
  const upto = columnBound(base.bounds, 'message_to');
  if (base.coverage === 0 || upto === null) return null;
  const pattern = `%${escapeLike(word)}%`;
  const cands = candidatesOf(db, word, pattern, asc);
  if (cands === null) return null;
  const other = otherIds(db, filter, base, cands.others);
  if (other === null) return null;
  const walked = walk(db, asc, upto, pattern, cands, endRow);
  const found = new Map<number, SqlValue>(walked.rows);
  const sign = asc ? 1 : -1;
  const lastValue = walked.last?.[1];
  const lastId = walked.last?.[0];
  const lastCode = lastId !== undefined && codes !== undefined && lastId < codes.length ? codes[lastId] : 0;
  const unknown = other.filter((id) => {
    if (found.has(id)) return false;
    if (lastCode === 0 || id >= (codes?.length ?? 0) || codes?.[id] === 0) return true;
    const c = (codes as Uint16Array)[id];
    return asc ? c <= lastCode : c >= lastCode;
  });
  for (const [id, v] of valuesOf(db, unknown)) found.set(id, v);
  const within = [...found].filter(
    ([, v]) => lastValue === undefined || sign * compareSqlValues(v, lastValue) <= 0,
  );
  within.sort(([a, va], [b, vb]) => sign * compareSqlValues(va, vb) || (idAsc ? a - b : b - a));
  return within.slice(startRow, endRow).map(([id]) => id);
}

/**
 * Records whose address holds the word, in the sort's order, up to and including every record of the
 * endRow-th one's value: records_to walked from the first candidate address (LIKE on the index's
 * lower(message_to), no table read), then the ties at the last value, then the records above the
 * index's bound by LIKE (their order is restored by the caller's sort).
 */
function walk(
  db: Database,
  asc: boolean,
  upto: number,
  pattern: string,
  c: Candidates,
  endRow: number,
): { rows: Row[]; last?: Row } {
  const start = c.start;
  const covered = upto === WHOLE ? '' : `id <= ${upto} AND `;
  const rows: Row[] = [];
  let last: Row | undefined;
  if (start !== null) {
    const dir = asc ? 'ASC' : 'DESC';
    const from = asc ? '>=' : '<=';
    const like = `lower(message_to) LIKE ? ESCAPE '\\'`;
    const first = db
      .prepare(
        `SELECT id, lower(message_to) FROM records WHERE ${covered}lower(message_to) ${from} ? AND ${like}
         ORDER BY lower(message_to) ${dir} LIMIT ?`,
      )
      .raw()
      .all(start, pattern, endRow) as Row[];
    rows.push(...first);
    if (first.length === endRow) {
      last = first[first.length - 1];
      const ties = db
        .prepare(
          `SELECT id, lower(message_to) FROM records WHERE ${covered}lower(message_to) = ? AND ${like}`,
        )
        .raw()
        .all(last[1], pattern) as Row[];
      const seen = new Set(first.map(([id]) => id));
      rows.push(...ties.filter(([id]) => !seen.has(id)));
    }
  }
  if (upto !== WHOLE)
    rows.push(
      ...(db
        .prepare(
          `SELECT id, lower(message_to) FROM records WHERE id > ${upto} AND message_to LIKE ? ESCAPE '\\'`,
        )
        .raw()
        .all(pattern) as Row[]),
    );
  return last === undefined ? { rows } : { rows, last };
}

/**
 * The records the word matches other than by its covered addresses: the filter's SQL with the
 * resolver giving no Message To values (of that column only the LIKE over records above the
 * vocabulary's coverage remains) and the other columns' values from the candidates' pass. Null when a
 * column has too many values (it would be a LIKE over the table) or the clause would scan the table.
 */
function otherIds(
  db: Database,
  filter: FilterModel,
  base: TextResolver,
  others: Map<number, string[]>,
): number[] | null {
  if ([...others.values()].some((v) => v.length > MAX_RESOLVED_VALUES_AGGREGATE)) return null;
  const masked: TextResolver = {
    ...base,
    resolve: (column) => (column === 'message_to' ? [] : (others.get(SEARCH_COLUMNS.indexOf(column)) ?? [])),
  };
  const where = compileWhere(filter, masked);
  // An OR of id sets is read as ids alone (covering indexes), anything else by its own plan.
  const sql = where.ids?.sql ?? `SELECT id FROM records WHERE ${where.sql}`;
  const params = where.ids?.params ?? where.params;
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  // A value list on a column without an index (Message From) is an OR SQLite answers by a scan.
  if (plan.some((p) => /^SCAN records\b/.test(p.detail))) return null;
  return [
    ...new Set(
      db
        .prepare(sql)
        .pluck()
        .all(...params) as number[],
    ),
  ];
}

function valuesOf(db: Database, ids: readonly number[]): Row[] {
  if (ids.length === 0) return [];
  return db
    .prepare('SELECT id, lower(message_to) FROM records WHERE id IN (SELECT value FROM json_each(?))')
    .raw()
    .all(JSON.stringify(ids)) as Row[];
}
