/**
 * The covering facet index `records_facets` as a partial index over the records up to a bound K
 * (partial-index.ts). Why: its keys are random w.r.t. arrival, so a small append kept it in place at
 * the cost of a new entry on most of its leaves (30k rows into a 1M-row case: +19 MB of WAL,
 * ~0.3 s of CPU before grid-ready); new rows above K add no entry at all. The search-index phase
 * rebuilds it over everything (K moves to the last id) once the delta outgrows DELTA_SHARE of the case.
 */
import type { Database } from 'better-sqlite3';
import type { SqlPart } from './filter';
import { boundTerm, partialIndexUpto, updatePartialIndex, type PartialIndexDef } from './partial-index';

export { boundTerm, WHOLE } from './partial-index';

export const FACETS_INDEX = 'records_facets';

/** The index's columns, in key order (facets-plan.ts groups by them). */
const COLUMNS =
  'status, substatus, status_details, smtp_code, processing_region, entry_interface, message_to_domain';

/**
 * Share of the case above K from which the search-index phase rebuilds the index. Facet queries that
 * pass over the index also read the delta from the table and group it, so the delta is kept small.
 * Measured under load on the 1M-row case, a broad pass (`-status:error` as a grid filter): 162-245 ms
 * with no delta, 188-293 ms with 30k records above K, 813-1080 ms with 100k. At 5 % a 30k-row append
 * into a 1M-row case leaves the index alone and the next one rebuilds it, after grid-ready.
 */
export const DELTA_SHARE = 0.05;

const FACETS: PartialIndexDef = { name: FACETS_INDEX, columns: COLUMNS, share: DELTA_SHARE };

/** The index's bound K (WHOLE: no WHERE), or null when the index does not exist. */
export function facetsIndexUpto(db: Database): number | null {
  return partialIndexUpto(db, FACETS_INDEX);
}

/** Builds or rebuilds the index (updatePartialIndex); called by the search-index phase. */
export function updateFacetsIndex(db: Database, maxId: number): void {
  updatePartialIndex(db, FACETS, maxId);
}

/**
 * A grouped facet query over the records matching `where`: through the index for ids up to its bound,
 * and by rowid range for the delta above it, the two summed. `indexOnly` is the first part alone,
 * whose plan (EXPLAIN QUERY PLAN) tells whether the index covers the filter.
 */
export function facetIndexQuery(
  upto: number,
  maxId: number,
  where: SqlPart,
  groupBy: string,
): { readonly indexOnly: string; readonly sql: string; readonly params: SqlPart['params'] } {
  const indexOnly = `SELECT ${COLUMNS}, count(*) FROM records INDEXED BY ${FACETS_INDEX} WHERE ${boundTerm(upto)} AND (${where.sql}) ${groupBy}`;
  if (upto >= maxId) return { indexOnly, sql: indexOnly, params: where.params };
  // NOT INDEXED still seeks the rowid range; it keeps the planner from reading the delta through a
  // filter's index (status:ok: most of the case) instead of the few rows above the bound.
  const sql = `SELECT ${COLUMNS}, sum(n) FROM (
      SELECT ${COLUMNS}, count(*) AS n FROM records INDEXED BY ${FACETS_INDEX} WHERE ${boundTerm(upto)} AND (${where.sql}) ${groupBy}
      UNION ALL
      SELECT ${COLUMNS}, count(*) FROM records NOT INDEXED WHERE id > ${upto} AND (${where.sql}) ${groupBy}
    ) ${groupBy}`;
  return { indexOnly, sql, params: [...where.params, ...where.params] };
}
