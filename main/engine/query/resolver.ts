/** Substring -> matching distinct values, through the trigram index over the search vocabulary. */
import type { Database } from 'better-sqlite3';
import { schemaHas } from '../db/meta';
import type { TextResolver } from './filter';
import { escapeLike } from './filter';
import { DOMAIN_INDEX, gridBounds } from './grid-partial';
import { candidateCounter } from './candidate-counts';
import { oneColumnOver, phraseFirstRead } from './phrase-lookup';
import { boundTerm, deltaTerm, partialIndexUpto } from './partial-index';
import {
  ENHANCED_INDEX,
  maxRecordId,
  SEARCH_COLUMNS,
  searchIndexCoverage,
  type SearchColumn,
} from './search-index';
import { keptWordIds, tokensFit, type KeptTokens } from './word-tokens-kept';

/**
 * More matching values than this in a column means the term is common there: a LIKE scan in sort
 * order finds a page sooner than thousands of index lookups would.
 */
export const MAX_RESOLVED_VALUES = 2000;
/**
 * For counts, facets and histograms every matching row is visited anyway, so index lookups pay off for
 * many more values; beyond ~20 000 (measured on 1M rows) parsing the list and the lookups cost about as
 * much as a LIKE scan over every row.
 */
export const MAX_RESOLVED_VALUES_AGGREGATE = 20_000;

/** Matching values read in the first query; a term with more is counted per column first. */
const FIRST_VALUES = 1000;

/** `"jan" AND "e.m" AND ...`: trigrams covering the term (at least three characters), quoted literally. */
export function trigramQuery(term: string): string {
  const chars = [...term];
  const grams: string[] = [];
  for (let i = 0; i + 3 <= chars.length; i += 3) grams.push(chars.slice(i, i + 3).join(''));
  if (chars.length % 3 !== 0) grams.push(chars.slice(-3).join(''));
  return grams.map((g) => `"${g.replace(/"/g, '""')}"`).join(' AND ');
}

/** More spellings of one domain than this: compare lower() instead (an IN list gains nothing then). */
const MAX_SPELLINGS = 8;

/**
 * The stored spellings of a domain, one seek each in records_to_domain (lower(domain), domain); null
 * unless both that index and records_domain_time (the one the IN list is for) exist.
 */
function spellingsOf(db: Database): ((value: string) => readonly string[] | null) | undefined {
  if (!schemaHas(db, 'records_to_domain', 'records_domain_time')) return undefined;
  // Partial (grid-partial.ts): each min() seeks the index up to its bound, the delta read by rowid.
  // NOT INDEXED: left to itself SQLite read the delta through records_domain_time's range
  // `message_to_domain > ?`, every entry of the index (domain:web.de at 5M rows: ~0.5 s a search).
  const upto = partialIndexUpto(db, DOMAIN_INDEX.name) ?? 0;
  const seek = 'lower(message_to_domain) = lower(?) AND message_to_domain > ?';
  const next = db
    .prepare(
      `SELECT min(m) FROM (SELECT min(message_to_domain) AS m FROM records WHERE ${boundTerm(upto)} AND ${seek}
       UNION ALL SELECT min(message_to_domain) FROM records NOT INDEXED WHERE ${deltaTerm(upto)} AND ${seek})`,
    )
    .pluck();
  const nextOf = (value: string, after: string): string | null =>
    next.get(value, after, value, after) as string | null;
  return (value) => {
    if (value === '') return null;
    const out: string[] = [];
    for (let v = nextOf(value, ''); v !== null; v = nextOf(value, v)) {
      out.push(v);
      if (out.length > MAX_SPELLINGS) return null;
    }
    return out;
  };
}

/** Record ids (ascending, up to the coverage) whose address has one of these vocabulary ids. */
export type AddressIds = (vids: readonly number[] | Uint32Array) => Uint32Array | null;

/**
 * `maxCandidates`: candidates counted per term over all columns; hitting it means "common everywhere"
 * and every column is scanned with LIKE. `addresses` (the aggregate reader's map, address-memory.ts):
 * the addresses holding a term are then always found through it, from the same pass over the
 * trigram index that finds the other columns' values.
 */
export function createResolver(
  db: Database,
  maxValues = MAX_RESOLVED_VALUES,
  maxCandidates = 5 * maxValues,
  addresses?: AddressIds,
  tokens?: KeptTokens,
): TextResolver {
  const coverage = searchIndexCoverage(db);
  const maxId = maxRecordId(db);
  const domainSpellings = spellingsOf(db);
  const enhancedIndexed = schemaHas(db, ENHANCED_INDEX);
  // Inside a read transaction the bounds and max(id) hold for every statement of the request.
  const bounds = db.inTransaction ? { ...gridBounds(db), snapshotMax: maxId } : gridBounds(db);
  if (coverage === 0)
    return { coverage: 0, maxId, resolve: () => null, domainSpellings, enhancedIndexed, bounds };
  // The trigram index narrows to values holding every (non-overlapping) trigram of the term; LIKE on
  // the vocabulary row confirms the exact substring. Faster than `fts.value LIKE`, which re-reads and
  // re-checks every candidate inside FTS5 with detail=none.
  const matches = `FROM search_vocab_fts f JOIN search_vocab v ON v.id = f.rowid
       WHERE search_vocab_fts MATCH ? AND v.value LIKE ? ESCAPE '\\'`;
  // A narrow term is read in one go. A common one is counted per column first, and values fetched
  // only for the columns that will use them: turning the ~75 000 values of a common term into JS
  // strings cost ~100 ms, the count ~15 ms.
  const firstValues = Math.min(maxValues, FIRST_VALUES);
  const firstStmt = db.prepare(`SELECT v.col, v.value ${matches} LIMIT ?`).raw();
  // The trigram candidates alone, not confirmed by LIKE: the counts only choose between values and a
  // scan (a column over maxValues is scanned with LIKE, which is exact either way; one under it has
  // its values confirmed below). Confirming every candidate cost more than the rest of the lookup
  // (`jane` at 5M rows: 351k candidates, 142 ms with LIKE, 44 ms without).
  const countCandidates = candidateCounter(db);
  // The column is tested before LIKE (CASE fixes the order): the wanted columns are the small ones,
  // and confirming the common column's candidates first cost 177 ms for 11.8k values of `jane` at 5M.
  const valuesStmt = db
    .prepare(
      `SELECT v.col, v.value FROM search_vocab_fts f JOIN search_vocab v ON v.id = f.rowid
         WHERE search_vocab_fts MATCH ?
           AND CASE WHEN v.col IN (SELECT value FROM json_each(?)) THEN v.value LIKE ? ESCAPE '\\' ELSE 0 END`,
    )
    .raw();
  /** Per column number: its matching values, or null when there are more than maxValues. */
  const search = (term: string, args: readonly [string, string]): Map<number, string[] | null> | null => {
    const phrase = phraseFirstRead(term, maxValues, MAX_RESOLVED_VALUES);
    let rows = firstStmt.all(...args, (phrase ?? firstValues) + 1) as [number, string][];
    let byCol = new Map<number, string[] | null>();
    if (phrase !== null && oneColumnOver(rows, maxValues)) return null;
    if (rows.length > firstValues) {
      const counts = countCandidates(args[0], maxCandidates);
      if (counts === null) return null;
      byCol = new Map(counts.map(([col, c]) => [col, c > maxValues ? null : []]));
      const wanted = counts.filter(([, c]) => c <= maxValues).map(([col]) => col);
      rows =
        wanted.length > 0
          ? (valuesStmt.all(args[0], JSON.stringify(wanted), args[1]) as [number, string][])
          : [];
    }
    for (const [col, value] of rows) {
      const list = byCol.get(col);
      if (list) list.push(value);
      else if (list === undefined) byCol.set(col, [value]);
    }
    return byCol;
  };
  const allStmt = db.prepare(`SELECT v.value ${matches} AND v.col = ?`).pluck();
  const to = SEARCH_COLUMNS.indexOf('message_to');
  // With the map: one pass, the addresses as vocabulary ids (no string for JS to build), the other
  // columns' values; their sum bounded as the count above bounds it. Resolving `jane` at 5M rows
  // and then confirming its addresses for the map took two passes over its 351k candidates.
  // JSON arrays, one row: a JS array per candidate row cost more than the pass (351k rows: ~0.3 s).
  const pairStmt = db
    .prepare(
      `SELECT count(*), json_group_array(id) FILTER (WHERE col = ${to}),
            json_group_array(json_array(col, value)) FILTER (WHERE col <> ${to})
       FROM (SELECT v.col AS col, v.id AS id, v.value AS value ${matches} LIMIT ?)`,
    )
    .raw();
  const vidsOf = new Map<string, readonly number[] | Uint32Array>();
  // The kept token dictionary (word-tokens-kept.ts), when it describes the vocabulary now: a word of
  // token characters is answered from it, the same ids as the statement above without its pass.
  const dictionary = tokens !== undefined && tokensFit(db, tokens, coverage) ? tokens : undefined;
  const valuesByIdStmt = db
    .prepare(
      'SELECT json_group_array(json_array(col, value)) FROM search_vocab WHERE id IN (SELECT value FROM json_each(?))',
    )
    .pluck();
  /** [count, address ids, the other columns' (col, value) as JSON], from the dictionary or the statement. */
  const pairOf = (
    term: string,
    args: readonly [string, string],
  ): [number, readonly number[] | Uint32Array, string] => {
    const found = dictionary === undefined ? null : keptWordIds(dictionary, term);
    if (found === null) {
      const [n, vidsJson, valuesJson] = pairStmt.get(...args, maxCandidates + 1) as [number, string, string];
      return [n, n > maxCandidates ? [] : (JSON.parse(vidsJson) as number[]), valuesJson];
    }
    const n = found.addresses.length + found.others.length;
    if (n > maxCandidates) return [n, [], '[]'];
    const valuesJson = valuesByIdStmt.get(JSON.stringify([...found.others])) as string;
    return [n, found.addresses, valuesJson];
  };
  const withAddresses = (
    term: string,
    args: readonly [string, string],
  ): Map<number, string[] | null> | null => {
    const [n, vids, valuesJson] = pairOf(term, args);
    if (n > maxCandidates) return null;
    // The addresses are always left to the map (null: not as values).
    const byCol = new Map<number, string[] | null>([[to, null]]);
    for (const [col, value] of JSON.parse(valuesJson) as [number, string][]) {
      const list = byCol.get(col);
      if (list === null) continue;
      // More than maxValues: common in that column, scanned.
      if (list === undefined) byCol.set(col, [value]);
      else if (list.length >= maxValues) byCol.set(col, null);
      else list.push(value);
    }
    vidsOf.set(term, vids);
    return byCol;
  };
  const memo = new Map<string, Map<number, string[] | null> | null>();
  const lookup = (term: string): Map<number, string[] | null> | null => {
    const known = memo.get(term);
    if (known !== undefined) return known;
    let byCol: Map<number, string[] | null> | null = null;
    // FTS5's query parser rejects some characters (NUL); such terms are left to LIKE.
    if (!term.includes('\u0000')) {
      try {
        const args = [trigramQuery(term), `%${escapeLike(term)}%`] as const;
        byCol = addresses === undefined ? search(term, args) : withAddresses(term, args);
      } catch (err) {
        if (!(err instanceof Error && err.name === 'SqliteError')) throw err;
      }
    }
    memo.set(term, byCol);
    return byCol;
  };
  return {
    coverage,
    maxId,
    domainSpellings,
    enhancedIndexed,
    bounds,
    ...(addresses === undefined
      ? {}
      : {
          addressIds: (term: string): Uint32Array | null => {
            if ([...term].length < 3 || lookup(term) === null) return null;
            const vids = vidsOf.get(term);
            return vids === undefined ? null : addresses(vids);
          },
        }),
    resolveAll(column: SearchColumn, term: string): readonly string[] | null {
      if ([...term].length < 3 || term.includes('\u0000')) return null;
      try {
        return allStmt.all(
          trigramQuery(term),
          `%${escapeLike(term)}%`,
          SEARCH_COLUMNS.indexOf(column),
        ) as string[];
      } catch (err) {
        if (err instanceof Error && err.name === 'SqliteError') return null;
        throw err;
      }
    },
    resolve(column: SearchColumn, term: string): readonly string[] | null {
      // Trigrams need three characters; shorter terms are scanned with LIKE.
      if ([...term].length < 3) return null;
      const byCol = lookup(term);
      if (byCol === null) return null;
      const values = byCol.get(SEARCH_COLUMNS.indexOf(column));
      return values === undefined ? [] : values;
    },
  };
}
