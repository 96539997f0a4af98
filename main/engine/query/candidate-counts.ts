/**
 * A term's trigram candidates counted per vocabulary column, as the resolver counts them to choose
 * between looking values up and a LIKE scan: or null when there are more than `max` in all.
 *
 * The candidates' columns live in search_vocab, one rowid lookup per candidate; FTS5 alone gives
 * only their rowids. Joining first and stopping at max + 1 looked up 10 001 rows to learn that a
 * common word is common. Measured on a copy of the 5M bench case (CPU ms, best of 7, loaded machine),
 * a page's resolver (max 10 000): `gmx` 10.8 joined against 1.4 for the rowids alone, `kunde.de`
 * 15.3 / 3.6, `example` 13.8 / 3.2; the lookups were ~1 µs each because a common word's candidates
 * lie all over the table. So the rowids come first, as one JSON array, and only a term with at most
 * `max` of them has their columns looked up, from that array: a term between (`mueller123`, 2 394
 * candidates) costs 6.7 ms against 6.6 joined at once, where counting the rowids first and then
 * joining would intersect FTS5's trigram doclists twice (12.6 ms).
 * The aggregate resolvers' bound (100 000) is left to the join: there the array cost more than the
 * doclists (`550`, 79 771 candidates: 71-75 ms against 47-53 joined).
 */
import type { Database } from 'better-sqlite3';

/** [column number, candidates in it]; a column without candidates is absent. */
export type ColumnCounts = readonly (readonly [number, number])[];

/** Bounds up to this count through the rowids' array; larger ones join as they read (see above). */
const ARRAY_MAX = 10_000;

export function candidateCounter(db: Database): (match: string, max: number) => ColumnCounts | null {
  const rowids = db
    .prepare(
      `SELECT count(*), json_group_array(rowid) FROM
         (SELECT rowid FROM search_vocab_fts WHERE search_vocab_fts MATCH ? LIMIT ?)`,
    )
    .raw();
  const columns = db
    .prepare(
      'SELECT col, count(*) FROM search_vocab WHERE id IN (SELECT value FROM json_each(?)) GROUP BY col',
    )
    .raw();
  const joined = db
    .prepare(
      `SELECT col, count(*) FROM (SELECT v.col AS col FROM search_vocab_fts f JOIN search_vocab v ON v.id = f.rowid
         WHERE search_vocab_fts MATCH ? LIMIT ?) GROUP BY col`,
    )
    .raw();
  return (match, max) => {
    if (max > ARRAY_MAX) {
      const counts = joined.all(match, max + 1) as [number, number][];
      return counts.reduce((n, [, c]) => n + c, 0) > max ? null : counts;
    }
    const [n, ids] = rowids.get(match, max + 1) as [number, string];
    if (n > max) return null;
    return n === 0 ? [] : (columns.all(ids) as [number, number][]);
  };
}
