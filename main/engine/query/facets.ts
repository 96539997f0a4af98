/** Facet counts under the current filter, for the side panel and `delivery-inspector facets`. */
import type { Database } from 'better-sqlite3';
import type { FacetBucket, FacetName, Facets, FilterModel } from '../../../common/contract';
import { EngineError } from '../errors';
import { compileWhere } from './filter';
import { createResolver } from './resolver';

export const FACET_NAMES: readonly FacetName[] = [
  'status',
  'substatus',
  'status_details',
  'smtp_class',
  'to_domain',
  'region',
  'interface',
];

/** Value reported for rows without a value (no SMTP reply, empty region, ...). */
export const NONE = '(none)';

type Combo = {
  s: string | null;
  ss: string | null;
  d: string | null;
  c: number | null;
  r: string | null;
  i: string | null;
  n: number;
};

function add(
  map: Map<string, number>,
  key: string | number | null,
  n: number,
  label: (k: string | number) => string = String,
): void {
  const k = key === null || key === '' ? NONE : label(key);
  map.set(k, (map.get(k) ?? 0) + n);
}

function buckets(map: Map<string, number>, top: number): FacetBucket[] {
  return [...map]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
    .slice(0, top);
}

/**
 * The six low-cardinality facets come from one pass grouping by all of them together (a few thousand
 * combinations at most), summed up per facet here. The columns are grouped raw, in the order of the
 * records_facets index, so an unfiltered pass streams through that index without sorting; recipient domain, which can have many values, has
 * its own grouped query (served by the domain index when unfiltered).
 */
export function getFacets(db: Database, filter: FilterModel, top: number): Facets {
  if (!Number.isInteger(top) || top < 1 || top > 1000)
    throw new EngineError('INVALID_ARGUMENT', 'top must be between 1 and 1000', { path: 'top' });
  const where = compileWhere(filter, createResolver(db));
  const combos = db
    .prepare(
      `SELECT status AS s, substatus AS ss, status_details AS d, smtp_code AS c, processing_region AS r, entry_interface AS i,
              count(*) AS n
       FROM records WHERE ${where.sql} GROUP BY 1, 2, 3, 4, 5, 6`,
    )
    .all(...where.params) as Combo[];
  const maps = {
    s: new Map<string, number>(),
    ss: new Map<string, number>(),
    d: new Map<string, number>(),
    c: new Map<string, number>(),
    r: new Map<string, number>(),
    i: new Map<string, number>(),
  };
  for (const row of combos) {
    add(maps.s, row.s, row.n);
    add(maps.ss, row.ss, row.n);
    add(maps.d, row.d, row.n);
    add(maps.c, row.c, row.n, (k) => `${Math.floor(Number(k) / 100)}xx`);
    add(maps.r, row.r, row.n);
    add(maps.i, row.i, row.n);
  }
  const domains = db
    .prepare(
      `SELECT message_to_domain COLLATE NOCASE AS value, count(*) AS count FROM records WHERE ${where.sql}
       GROUP BY message_to_domain COLLATE NOCASE ORDER BY count DESC, value LIMIT ?`,
    )
    .all(...where.params, top) as { value: string | null; count: number }[];
  return {
    status: buckets(maps.s, top),
    substatus: buckets(maps.ss, top),
    status_details: buckets(maps.d, top),
    smtp_class: buckets(maps.c, top),
    to_domain: domains.map((d) => ({
      value: d.value === null || d.value === '' ? NONE : d.value,
      count: d.count,
    })),
    region: buckets(maps.r, top),
    interface: buckets(maps.i, top),
  };
}
