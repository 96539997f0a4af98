/** The filter's WHERE clause for the insights: every matching row is visited, as for facets. */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { compileWhere, type SqlPart, type TextResolver } from '../query/filter';
import { createResolver, MAX_RESOLVED_VALUES_AGGREGATE } from '../query/resolver';

export function insightsWhere(db: Database, filter: FilterModel): SqlPart {
  const resolver: TextResolver = { ...createResolver(db, MAX_RESOLVED_VALUES_AGGREGATE), visitsAll: true };
  return compileWhere(filter, resolver);
}

/**
 * `FROM` source of a grouped pass over the matching rows: the table itself when unfiltered, else the
 * rows collected first by the filter's own plan (MATERIALIZED), so grouping does not tempt SQLite
 * into an index walk with a table lookup per entry (see query/histogram.ts).
 */
export function matchingRows(where: SqlPart, columns: string): { prefix: string; source: string } {
  if (where.sql === '1') return { prefix: '', source: 'records' };
  return {
    prefix: `WITH m AS MATERIALIZED (SELECT ${columns} FROM records WHERE ${where.sql}) `,
    source: 'm',
  };
}

/** Lower-cased recipient domain, or "(none)". */
export function domainKey(d: string | null): string {
  return d === null || d === '' ? '(none)' : d.toLowerCase();
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
