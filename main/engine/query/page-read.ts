/**
 * A page's ids in their order, and the records of the first ones only. A page past the first is
 * computed page-ahead.ts' AHEAD_ROWS wider, and the wider rows were read as whole records only for
 * their ids to be kept: at 5M, the unfiltered page at row 2 500 000 by a coded column read 500
 * records (~450 bytes each, spread over the table) for the 100 it shows; the lookups were 60-90 % of
 * the page's time (quiet: ~10 of 11-24 ms; the page after it, 100 lookups, 2-3 ms).
 */
import type { Database } from 'better-sqlite3';
import type { RecordRow } from '../../../common/contract';
import { recordsOf } from './sort-ids';

export interface IdsPage {
  /** Every row's id, in page order. */
  readonly ids: readonly number[];
  /** The records of the first ids (at least as many as asked for, or all of them). */
  readonly rows: RecordRow[];
}

/** The records of the first `read` ids, inside the caller's read transaction (one snapshot). */
export function readPage(db: Database, ids: readonly number[], read: number): IdsPage {
  return { ids, rows: recordsOf(db, read < ids.length ? ids.slice(0, read) : ids) };
}

/** A page whose records were all read already (a probe tests each record it reads). */
export function rowsPage(rows: RecordRow[] | null): IdsPage | null {
  return rows === null ? null : { ids: rows.map((r) => r.id), rows };
}
