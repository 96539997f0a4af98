/**
 * Counts of searches no summary answers whole, found without the id set where a cheaper read
 * answers: paging.ts's countRows asks here after the summaries and before the id set.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { complementCount } from './complement';
import { sizeCount } from './size-count';

export function countWithoutIds(db: Database, filter: FilterModel): number | null {
  return complementCount(db, filter) ?? sizeCount(db, filter);
}
