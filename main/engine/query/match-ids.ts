/**
 * The ids of the records matching a filter no summary answers (free words, addresses, enhanced SMTP
 * codes, sizes, grid column filters), for the count, the histogram and the facets of one search.
 * Each of them used to find the matches on its own, by a plan that also fetched the columns it
 * needed (`jane` at 1M rows: count 1.3 s, histogram 3.2 s, facets 1.5 s, mostly the same LIKE pass
 * three times); now a reader finds them once per data version (paging.ts caches them with the
 * count), and each request reads only its columns for those ids.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { compileWhere, type SqlPart, type TextResolver } from './filter';
import { factsCoverage } from './record-facts';
import { createResolver, MAX_RESOLVED_VALUES_AGGREGATE } from './resolver';

/**
 * More matches than this and the id list is dropped: passing and probing it costs about what a pass
 * in the filter's own plan does, and it would hold megabytes per cached filter.
 */
export const MAX_MATCH_IDS = 150_000;
/**
 * With record_facts covering the records, probing an id costs a seek in a 17-byte-a-record table
 * instead of the ~900-byte table: worth it for more matches (`jane` at 5M rows: ~415k). Four cached
 * sets of this size hold ~14 MB as JSON.
 */
export const MAX_MATCH_IDS_FACTS = 500_000;

export interface MatchIds {
  /** The ids as a JSON array, bound to `id IN (SELECT value FROM json_each(?))`. */
  readonly json: string;
  readonly count: number;
}

/** The ids as a WHERE clause body. */
export function idsPart(ids: MatchIds): SqlPart {
  return { sql: 'id IN (SELECT value FROM json_each(?))', params: [ids.json] };
}

/** The filter's matching ids, or null for no filter or more than `max` matches. */
export function findMatchIds(
  db: Database,
  filter: FilterModel,
  max = factsCoverage(db) > 0 ? MAX_MATCH_IDS_FACTS : MAX_MATCH_IDS,
): MatchIds | null {
  // Every match is visited: a substring too common for the vocabulary is read from its column's
  // index (a set of ids) rather than by a LIKE over the table, as the facets do.
  const resolver: TextResolver = { ...createResolver(db, MAX_RESOLVED_VALUES_AGGREGATE), visitsAll: true };
  const where = compileWhere(filter, resolver);
  if (where.sql === '1') return null;
  // An OR of id sets is read as ids alone (grouped: a match of two branches once), not looked up in
  // the table; anything else by the filter's own plan.
  const sql =
    where.ids !== undefined
      ? `SELECT id FROM (${where.ids.sql}) GROUP BY id LIMIT ?`
      : `SELECT id FROM records WHERE ${where.sql} LIMIT ?`;
  const ids = db
    .prepare(sql)
    .pluck()
    .all(...(where.ids ?? where).params, max + 1) as number[];
  return ids.length > max ? null : { json: JSON.stringify(ids), count: ids.length };
}
