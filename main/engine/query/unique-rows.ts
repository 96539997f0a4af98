/**
 * A unique column's sorted page from its bucket codes (unique-codes.ts), for sort-codes.ts' codesPage:
 * a filtered first page probed from the first buckets (unique-page.ts), else from the filter's set.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { compileWhere } from './filter';
import { broadUnknown, isKept, matchList } from './kept-sets';
import type { MatchIds } from './match-ids';
import { createResolver } from './resolver';
import { readPage, type IdsPage } from './page-read';
import { FIRST_ROWS } from './sort-codes';
import { indexProbe } from './sort-ids';
import { unfiltered } from './sort-index';
import type { ResolvedSortKey } from './sql';
import { uniqueCodes } from './unique-codes';
import { uniquePageIds, uniqueProbeIds } from './unique-page';
import { wordAddressPage } from './word-address-page';

/**
 * Columns whose index's first entries are probed instead of the first buckets: their buckets' records
 * lie all over the table (a pass over the codes each), the index's are one read. 5M, `status:error`
 * by Usage ID asc: 8-11 ms along records_usage, 200-300 ms from the buckets (13b, under load).
 */
const INDEX_PROBED = new Set(['usage_id', 'job_id', 'smtp_status_code']);

/** A unique column's page from its bucket codes, inside codesPage's transaction; null: SQL. */
export function uniqueRows(
  db: Database,
  filter: FilterModel,
  keys: readonly ResolvedSortKey[],
  startRow: number,
  endRow: number,
  state: { ids?: MatchIds | null; count?: number },
  read = endRow - startRow,
): IdsPage | null {
  // Checked first: an id set is not worth finding for a page the codes cannot serve yet.
  const col = uniqueCodes(db, keys[0].expr);
  if (col === null) return null;
  const asc0 = keys[0].dir === 'asc';
  if (!unfiltered(filter) && !state.ids && !isKept(db, state) && endRow <= FIRST_ROWS) {
    // A free word by Message To: its first addresses in the vocabulary (word-address-page.ts).
    if (keys[0].expr === 'lower(message_to)') {
      const ids = wordAddressPage(db, filter, asc0, keys[1].dir === 'asc', startRow, endRow, col.codes);
      if (ids !== null) return readPage(db, ids, read);
    }
    const where = compileWhere(filter, createResolver(db));
    if (INDEX_PROBED.has(keys[0].expr)) {
      const first = indexProbe(db, where, keys, startRow, endRow);
      if (first?.page) return readPage(db, first.page, read);
    } else {
      const probed = uniqueProbeIds(db, keys[0].expr, asc0, keys[1].dir === 'asc', endRow, where);
      if (probed !== null) return readPage(db, probed.slice(startRow, endRow), read);
    }
  }
  if (!unfiltered(filter) && startRow < FIRST_ROWS && broadUnknown(db, filter, state)) return null;
  const list = unfiltered(filter) ? null : matchList(db, filter, state);
  if (!unfiltered(filter) && list === null) return null;
  const asc = keys[0].dir === 'asc';
  const ids = uniquePageIds(db, keys[0].expr, asc, keys[1].dir === 'asc', startRow, endRow, list);
  return ids === null ? null : readPage(db, ids, read);
}
