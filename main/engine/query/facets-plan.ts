/**
 * The grouped facet query for a filter, in the shape that reads least. SQLite's own plans (EXPLAIN
 * QUERY PLAN, no rows read) tell which applies. Figures: medians on the 1M-row synthetic export.
 * - 'index': through the covering records_facets index alone, when the filter reads no other column
 *   row by row. An enum filter seeks a key range (status:error: 25 ms); a negation or a broad set of
 *   ids passes over every entry once (0.15-0.3 s), where grouping the same rows from the table sorts
 *   them in a temp B-tree (0.6-1.5 s).
 * - 'rows': the matching rows fetched from the table by the filter's own plan and grouped, when they
 *   are few or are fetched by rowid anyway (a set of ids built by index seeks, or ids plus a column
 *   only the table has).
 * - 'ids': otherwise (a time window, a LIKE over a column without index) the ids of the matches
 *   first, by the filter's own plan, then one pass over records_facets keeping those ids.
 */
import type { Database } from 'better-sqlite3';
import type { SqlPart } from './filter';
import { facetIndexQuery, facetsIndexUpto } from './facets-index';

/** The facet columns, in the order of the records_facets index (see query/search-index.ts). */
export const FACET_COLUMNS =
  'status, substatus, status_details, smtp_code, processing_region, entry_interface, message_to_domain';
const FACET_INDEX = 'records_facets';
const GROUP_BY = 'GROUP BY 1, 2, 3, 4, 5, 6, 7';

/**
 * Up to this many matching rows are grouped from the table (~2.5 µs a row with the sort); beyond it a
 * pass over the index (~0.1 s plus finding the ids) is cheaper.
 */
export const FEW_ROWS = 20_000;

/** One combination of facet values and its row count. */
export type Combo = [
  string | null,
  string | null,
  string | null,
  number | null,
  string | null,
  string | null,
  string | null,
  number,
];

/**
 * Which shape answered ('all': no filter; 'summary': summary_facets, see summary.ts; 'facts': the
 * search's id set in record_facts, see record-facts.ts), for tests of the plan choice.
 */
export type FacetPlan = 'all' | 'index' | 'rows' | 'ids' | 'summary' | 'facts' | 'complement';

interface Result {
  readonly combos: Combo[];
  readonly plan: FacetPlan;
}

interface Step {
  readonly parent: number;
  readonly detail: string;
}

function grouped(db: Database, sql: string, params: SqlPart['params']): Combo[] {
  return db
    .prepare(sql)
    .raw()
    .all(...params) as Combo[];
}

function planOf(db: Database, sql: string, params: SqlPart['params']): Step[] {
  return db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Step[];
}

/** The outer loop over records; subqueries (id sets, value lists) run once beside it. */
function outerStep(steps: readonly Step[]): Step | undefined {
  return steps.find((s) => s.parent === 0 && /^(SCAN|SEARCH) records\b/.test(s.detail));
}

/** A step that reads a whole index: a scan, or the open range of covering-scan.ts' leading term. */
const WHOLE_INDEX = /^SCAN records\b|^SEARCH records USING COVERING INDEX \S+ \(<expr>>\?\)$/;

/** MATERIALIZED: rows collected by the filter's own plan, not in group order through an index plus lookups. */
const rowsSql = (where: SqlPart, limit: string): string =>
  `WITH m AS MATERIALIZED (SELECT ${FACET_COLUMNS} FROM records WHERE ${where.sql}${limit}) SELECT *, count(*) FROM m ${GROUP_BY}`;

/** Facet combinations of the rows matching `where` ('1': all rows), and the shape that produced them. */
export function facetCombos(db: Database, where: SqlPart, fewRows = FEW_ROWS): Result {
  // The facet index covers ids up to its bound (null: not built yet), see facets-index.ts.
  const upto = facetsIndexUpto(db);
  const maxId =
    upto === null ? 0 : (db.prepare('SELECT ifnull(max(id), 0) AS m FROM records').get() as { m: number }).m;
  const indexed = (w: SqlPart): ReturnType<typeof facetIndexQuery> =>
    facetIndexQuery(upto ?? 0, maxId, w, GROUP_BY);
  // Unfiltered: a grouped pass streams through the covering index (or the table) in group order.
  if (where.sql === '1') {
    const all = upto === null ? null : indexed(where);
    return {
      combos:
        all === null
          ? grouped(db, `SELECT ${FACET_COLUMNS}, count(*) FROM records ${GROUP_BY}`, [])
          : grouped(db, all.sql, all.params),
      plan: 'all',
    };
  }
  const rows = (): Result => ({ combos: grouped(db, rowsSql(where, ''), where.params), plan: 'rows' });
  // Search index not built yet: only the table can answer.
  if (upto === null) return rows();
  const byIndex = indexed(where);
  const index = (q = byIndex): Result => ({ combos: grouped(db, q.sql, q.params), plan: 'index' });
  const indexOuter = outerStep(planOf(db, byIndex.indexOnly, where.params));
  const covered = indexOuter?.detail.includes(`COVERING INDEX ${FACET_INDEX}`) === true;
  if (covered && indexOuter?.detail.startsWith('SEARCH') === true) return index();

  const rowSteps = planOf(db, `SELECT ${FACET_COLUMNS} FROM records WHERE ${where.sql}`, where.params);
  const rowsOuter = outerStep(rowSteps);
  if (rowsOuter?.detail.startsWith('SEARCH records USING INTEGER PRIMARY KEY') === true) {
    // Driven by a set of ids. Built by seeks, its cost is in proportion to the matches, and so is
    // fetching them: as cheap as it gets for a narrow filter, and no worse than before for a broad one.
    // A set read by a SCAN of a whole index comes from a LIKE too common for the vocabulary (over
    // 20 000 values): many matches, so the index pass wins where it covers the filter.
    // The leading range `lower(col) >= ''` (covering-scan.ts) reads the whole of such an index too.
    const scans = rowSteps.some((s) => s !== rowsOuter && WHOLE_INDEX.test(s.detail));
    return covered && scans ? index() : rows();
  }
  if (covered) return index();
  // The filter reads other columns by a scan or a range: a bounded try answers when few rows match.
  const few = grouped(db, rowsSql(where, ' LIMIT ?'), [...where.params, fewRows + 1]);
  if (few.reduce((n, c) => n + c[7], 0) <= fewRows) return { combos: few, plan: 'rows' };
  const ids: SqlPart = { sql: `id IN (SELECT id FROM records WHERE ${where.sql})`, params: where.params };
  return { combos: index(indexed(ids)).combos, plan: 'ids' };
}
