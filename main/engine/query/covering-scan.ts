/**
 * A term that lets SQLite read a LIKE over an address column from its partial covering index.
 *
 * Why: for a substring too common for the vocabulary (`jane` at 5M rows: 340k addresses), the
 * aggregate paths read `id <= bound AND message_to LIKE ?` meaning the partial index records_to
 * (lower(message_to), time, message_to; 342 MB). Without statistics SQLite chose the rowid range
 * instead, i.e. a pass over the whole table (1.8 GB): 1.1 s against 0.5 s through the index (both
 * under load). A range on the index's leading expression makes the index the plan. `lower(x) >= ''`
 * holds for every non-NULL value (lower() returns text, and every text sorts at or after ''), and a
 * NULL never matches LIKE, so the term selects no fewer rows: the answer stays exact.
 */
import type { ColumnId } from '../../../common/columns';
import type { SqlPart } from './filter';

/** Columns whose partial index leads with lower(column) and also holds the column (search-index.ts). */
const LOWER_LED = new Set<ColumnId>(['message_to', 'message_to_domain']);

/** The leading-range term for a LIKE read from the column's partial index, or none. */
export function indexLeadTerm(column: ColumnId): SqlPart[] {
  return LOWER_LED.has(column) ? [{ sql: `lower(${column}) >= ''`, params: [] }] : [];
}
