/** Facet counts under the current filter, for the side panel and `delivery-inspector facets`. */
import type { Database } from 'better-sqlite3';
import { FACET_NAMES, type FacetBucket, type Facets, type FilterModel } from '../../../common/contract';
import { EngineError } from '../errors';
import { compileWhere, type SqlPart } from './filter';
import { createResolver, MAX_RESOLVED_VALUES_AGGREGATE } from './resolver';

export { FACET_NAMES };

/** Value reported for rows without a value (no SMTP reply, empty region, ...). */
export const NONE = '(none)';

/** The facet columns, in the order of the records_facets index (see query/search-index.ts). */
const FACET_COLUMNS =
  'status, substatus, status_details, smtp_code, processing_region, entry_interface, message_to_domain';

type Combo = [
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
 * Rows of the filter, by SQL the planner handles well: unfiltered, a grouped pass streams through the
 * covering records_facets index without sorting; filtered, the matching rows are collected first by
 * the filter's own best plan (MATERIALIZED), since grouping in index order would otherwise tempt SQLite
 * into a table lookup per index entry.
 */
export function groupedSql(columns: string, where: SqlPart, groupBy: string): SqlPart {
  if (where.sql === '1')
    return { sql: `SELECT ${columns}, count(*) FROM records GROUP BY ${groupBy}`, params: [] };
  return {
    sql: `WITH m AS MATERIALIZED (SELECT ${columns} FROM records WHERE ${where.sql}) SELECT *, count(*) FROM m GROUP BY ${groupBy}`,
    params: where.params,
  };
}

class Tally {
  private readonly counts = new Map<string, number>();
  private readonly labels = new Map<string, string>();

  add(value: string | number | null, n: number, fold = false): void {
    const label = value === null || value === '' ? NONE : String(value);
    const key = fold ? label.toLowerCase() : label;
    if (!this.labels.has(key)) this.labels.set(key, label);
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  top(n: number): FacetBucket[] {
    return [...this.counts]
      .map(([key, count]) => ({ value: this.labels.get(key) ?? key, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, n);
  }
}

/** All seven facets from one grouped pass (a few thousand combinations at most), summed up per facet. */
export function getFacets(db: Database, filter: FilterModel, top: number): Facets {
  if (!Number.isInteger(top) || top < 1 || top > 1000)
    throw new EngineError('INVALID_ARGUMENT', 'top must be between 1 and 1000', { path: 'top' });
  const q = groupedSql(
    FACET_COLUMNS,
    compileWhere(filter, createResolver(db, MAX_RESOLVED_VALUES_AGGREGATE)),
    '1, 2, 3, 4, 5, 6, 7',
  );
  const combos = db
    .prepare(q.sql)
    .raw()
    .all(...q.params) as Combo[];
  const t = {
    s: new Tally(),
    ss: new Tally(),
    d: new Tally(),
    c: new Tally(),
    r: new Tally(),
    i: new Tally(),
    dom: new Tally(),
  };
  for (const [s, ss, d, code, r, i, dom, n] of combos) {
    t.s.add(s, n);
    t.ss.add(ss, n);
    t.d.add(d, n);
    t.c.add(code === null ? null : `${Math.floor(code / 100)}xx`, n);
    t.r.add(r, n);
    t.i.add(i, n);
    // Domains are counted case-insensitively: "Kunde.de" and "kunde.de" are one domain.
    t.dom.add(dom, n, true);
  }
  return {
    status: t.s.top(top),
    substatus: t.ss.top(top),
    status_details: t.d.top(top),
    smtp_class: t.c.top(top),
    to_domain: t.dom.top(top),
    region: t.r.top(top),
    interface: t.i.top(top),
  };
}
