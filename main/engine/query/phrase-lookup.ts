/**
 * A phrase (a search term with a space, `"recipient address rejected"`) on a page's resolver: one
 * read of the first matching values settles that the phrase is common in a column, without counting
 * its trigram candidates.
 *
 * Measured at 5M rows (bench `query`, the phrase with `status:error`, newest first): the phrase's 71k
 * SMTP reply texts made the resolver read 1 001 confirmed values (~1.5 ms) and then count 10 001
 * trigram candidates (~15-18 ms, FTS5 intersecting nine trigram doclists of 71k-142k entries each),
 * only to learn that the column is scanned with LIKE. Reading 2 001 confirmed values at once costs
 * ~3 ms and, when more than 2 000 of them lie in one column, proves the same.
 */

/**
 * Values of other columns the first read may meet besides the common column's (a sender or an address
 * holding the phrase too) and still settle it: without them, one such value sent the phrase back to
 * counting its candidates.
 */
const OTHER_VALUES = 100;

/**
 * How many confirmed values a page's resolver reads first for `term` when it is a phrase, or null:
 * not a phrase, or a resolver allowed more values than a page's (`pageMaxValues`): the aggregate one
 * visits every match, and reading its 20 001 values first would cost more than the count it saves.
 */
export function phraseFirstRead(term: string, maxValues: number, pageMaxValues: number): number | null {
  return /\s/.test(term) && maxValues <= pageMaxValues ? maxValues + OTHER_VALUES : null;
}

/**
 * True when more than `maxValues` of the confirmed (column, value) rows lie in one column: that
 * column would be scanned with LIKE (more values than a page looks up), which makes the page a scan
 * in sort order whatever the other columns resolve to, so LIKE over every column (the resolver's
 * null) selects the same records at about the same cost per row.
 */
export function oneColumnOver(rows: readonly (readonly [number, string])[], maxValues: number): boolean {
  if (rows.length <= maxValues) return false;
  const perColumn = new Map<number, number>();
  for (const [col] of rows) {
    const n = (perColumn.get(col) ?? 0) + 1;
    if (n > maxValues) return true;
    perColumn.set(col, n);
  }
  return false;
}
