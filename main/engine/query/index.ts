/**
 * The query functions the handler table, the CLI and the case report call; each takes the database
 * first. The four a search sends first drop free words every record matches (universal-words.ts).
 */
import type { Database } from 'better-sqlite3';
import type { Facets, FilterModel, Histogram, PageRequest, PageResult } from '../../../common/contract';
import { getFacets as facetsOf } from './facets';
import { getHistogram as histogramOf } from './histogram';
import { countRows as countOf, queryPage as pageOf } from './paging';
import { dropUniversalWords } from './universal-words';

/**
 * Each request in one read transaction: every statement sees the same commit, so the bounds of the
 * partial indexes and max(id) read for it hold throughout (a bound with nothing above it is read
 * without the delta, partial-index.ts).
 */
function snapshot<T>(db: Database, answer: () => T): T {
  return db.transaction(answer)();
}

export function countRows(db: Database, filter: FilterModel): number {
  return snapshot(db, () => countOf(db, dropUniversalWords(db, filter)));
}

export function queryPage(db: Database, req: PageRequest): PageResult {
  return snapshot(db, () => {
    const filter = dropUniversalWords(db, req.filter);
    return pageOf(db, filter === req.filter ? req : { ...req, filter });
  });
}

export function getFacets(db: Database, filter: FilterModel, top: number): Facets {
  return snapshot(db, () => facetsOf(db, dropUniversalWords(db, filter), top));
}

export function getHistogram(
  db: Database,
  filter: FilterModel,
  buckets: number,
  timeZone?: string,
): Histogram {
  return snapshot(db, () => histogramOf(db, dropUniversalWords(db, filter), buckets, timeZone));
}

export { getDrilldown } from './drilldown';
export { lookupAddresses } from './lookup';
export { updateSearchIndex } from './search-index';
export { compileCount, compileSelect } from './select';
