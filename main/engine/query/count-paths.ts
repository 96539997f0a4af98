/**
 * Counts of searches no summary answers whole, found without the id set where a cheaper read
 * answers: paging.ts's countRows asks here after the summaries and before the id set.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { complementCount } from './complement';
import { idSetCap, MAX_MATCH_IDS_MIRROR } from './match-ids';
import { senderCount } from './sender-count';
import { sizeCount } from './size-count';
import { keptWordCount } from './word-count';

export function countWithoutIds(db: Database, filter: FilterModel): number | null {
  // Senders first: the complement of `-from:news` would find the ids of `from:news` by a scan. A word
  // from the kept counts per address only where they were restored (the CLI's count, word-count.ts).
  return (
    keptWordCount(db, filter) ??
    sendersAlone(db, filter) ??
    complementCount(db, filter) ??
    sizeCount(db, filter)
  );
}

/** Only where the reader's facts mirror is not complete: with it, value-terms.ts counts in memory. */
function sendersAlone(db: Database, filter: FilterModel): number | null {
  return idSetCap(db) >= MAX_MATCH_IDS_MIRROR ? null : senderCount(db, filter);
}
