/** Substring -> matching distinct values, through the trigram index over the search vocabulary. */
import type { Database } from 'better-sqlite3';
import type { TextResolver } from './filter';
import { escapeLike } from './filter';
import { maxRecordId, SEARCH_COLUMNS, searchIndexCoverage, type SearchColumn } from './search-index';

/**
 * More matching values than this in a column means the term is common there: a LIKE scan in sort
 * order finds a page sooner than thousands of index lookups would.
 */
export const MAX_RESOLVED_VALUES = 2000;
/**
 * For counts, facets and histograms every matching row is visited anyway; there index lookups for
 * even a hundred thousand values beat a LIKE scan over every row and column.
 */
export const MAX_RESOLVED_VALUES_AGGREGATE = 200_000;

export function createResolver(db: Database, maxValues = MAX_RESOLVED_VALUES): TextResolver {
  /** Candidates read per term over all columns; hitting it means "common everywhere". */
  const maxCandidates = 5 * maxValues;
  const coverage = searchIndexCoverage(db);
  const maxId = maxRecordId(db);
  if (coverage === 0) return { coverage: 0, maxId, resolve: () => null };
  // The trigram index serves `f.value LIKE` (without ESCAPE, so % and _ in the term match loosely
  // there); LIKE ... ESCAPE on the vocabulary row then confirms the exact substring.
  const stmt = db
    .prepare(
      `SELECT v.col AS col, v.value AS value FROM search_vocab_fts f JOIN search_vocab v ON v.id = f.rowid
       WHERE f.value LIKE ? AND v.value LIKE ? ESCAPE '\\' LIMIT ?`,
    )
    .raw();
  const memo = new Map<string, Map<number, string[]> | null>();
  const lookup = (term: string): Map<number, string[]> | null => {
    const known = memo.get(term);
    if (known !== undefined) return known;
    const rows = stmt.all(`%${term}%`, `%${escapeLike(term)}%`, maxCandidates + 1) as [number, string][];
    let byCol: Map<number, string[]> | null = null;
    if (rows.length <= maxCandidates) {
      byCol = new Map();
      for (const [col, value] of rows) {
        const list = byCol.get(col);
        if (list) list.push(value);
        else byCol.set(col, [value]);
      }
    }
    memo.set(term, byCol);
    return byCol;
  };
  return {
    coverage,
    maxId,
    resolve(column: SearchColumn, term: string): readonly string[] | null {
      // Trigrams need three characters; shorter terms are scanned with LIKE.
      if ([...term].length < 3) return null;
      const byCol = lookup(term);
      if (byCol === null) return null;
      const values = byCol.get(SEARCH_COLUMNS.indexOf(column)) ?? [];
      return values.length > maxValues ? null : values;
    },
  };
}
