/**
 * Which summary table answers a filter, and the counts and facet combinations read from it. Every
 * answer is the summary's rows (records with id <= coverage) plus the records above coverage read by
 * id range, so it is exact while an import's summary is pending. Tables, most specific first:
 * - summary_hour: status, substatus, details, basic SMTP codes, region, interface, whole hours;
 * - summary_domain_hour: status, substatus, recipient domain, whole hours;
 * - summary_facets (count and facets only): summary_hour's columns and the domain, no time.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import type { SqlPart } from './filter';
import {
  FACET_FIELDS,
  FACET_ROWS,
  HOUR_KEY_COLUMNS,
  HOUR_MS,
  NO_HOUR,
  pendingRecords,
  SUMMARY_FACET_COLUMNS,
  SUMMARY_ROWS,
  summaryCoverage,
  summaryFilter,
} from './summary';
import { DOMAIN_HOUR_FIELDS, domainHourRows, hasDomainHour } from './summary-domain';

/** Summary rows (shaped like records, with a count `n`) that answer a filter. */
export interface SummarySource {
  /** A parenthesised SELECT over the summary table. */
  readonly rows: string;
  readonly where: SqlPart;
  /** Records with id <= coverage are in `rows`; the others are read from records. */
  readonly coverage: number;
}

const DOMAIN_HOUR_ROWS = domainHourRows(NO_HOUR, HOUR_MS, HOUR_KEY_COLUMNS);

/** The hourly summary that answers the filter (with creation_time_ms per hour), or null. */
export function hourlySource(db: Database, filter: FilterModel): SummarySource | null {
  const coverage = summaryCoverage(db);
  if (coverage === 0) return null;
  const byHour = summaryFilter(filter);
  if (byHour !== null) return { rows: SUMMARY_ROWS, where: byHour, coverage };
  if (!hasDomainHour(db)) return null;
  const byDomain = summaryFilter(filter, true, DOMAIN_HOUR_FIELDS);
  return byDomain === null ? null : { rows: DOMAIN_HOUR_ROWS, where: byDomain, coverage };
}

function one(db: Database, sql: string, params: SqlPart['params']): number {
  return db
    .prepare(sql)
    .pluck()
    .get(...params) as number;
}

/** sum(n) of the source's rows under its filter plus count(*) of the pending records. */
function countOf(db: Database, s: SummarySource): number {
  const late = pendingRecords(s.where, s.coverage);
  return (
    one(db, `SELECT ifnull(sum(n), 0) FROM ${s.rows} WHERE ${s.where.sql}`, s.where.params) +
    one(db, `SELECT count(*) FROM records NOT INDEXED WHERE ${late.sql}`, late.params)
  );
}

/** The filter's count from a summary plus records not yet in it; null when no summary can answer. */
export function summaryCount(db: Database, filter: FilterModel): number | null {
  const hourly = hourlySource(db, filter);
  if (hourly !== null) return countOf(db, hourly);
  const coverage = summaryCoverage(db);
  const noTime = coverage === 0 ? null : summaryFilter(filter, false, FACET_FIELDS);
  return noTime === null ? null : countOf(db, { rows: FACET_ROWS, where: noTime, coverage });
}

/** Grouped rows of a source plus grouped pending records; `cols` are record columns, counts last. */
function grouped(db: Database, s: SummarySource, cols: string, groups: number): unknown[][] {
  const by = `GROUP BY ${Array.from({ length: groups }, (_, i) => i + 1).join(', ')}`;
  const summed = db
    .prepare(`SELECT ${cols}, sum(n) FROM ${s.rows} WHERE ${s.where.sql} ${by}`)
    .raw()
    .all(...s.where.params) as unknown[][];
  const late = pendingRecords(s.where, s.coverage);
  const pending = db
    .prepare(`SELECT ${cols}, count(*) FROM records NOT INDEXED WHERE ${late.sql} ${by}`)
    .raw()
    .all(...late.params) as unknown[][];
  return [...summed, ...pending];
}

/**
 * Facet combinations (facets-plan.ts's Combo rows) from the summaries plus records not yet in them;
 * null when they cannot answer. Rows of one combination may come twice (summary and pending); the
 * facets add them up. With `domains`, the domain column of the combos is not filled (NULL) and the
 * domain facet is counted from `domains` instead: a filter with a time bound gets its six other facets
 * from summary_hour and the domain facet from summary_domain_hour.
 */
export function summaryFacetCombos(
  db: Database,
  filter: FilterModel,
): { combos: unknown[][]; domains?: unknown[][] } | null {
  const coverage = summaryCoverage(db);
  if (coverage === 0) return null;
  const noTime = summaryFilter(filter, false, FACET_FIELDS);
  if (noTime !== null)
    return { combos: grouped(db, { rows: FACET_ROWS, where: noTime, coverage }, SUMMARY_FACET_COLUMNS, 7) };
  const byHour = summaryFilter(filter);
  const byDomain = hasDomainHour(db) ? summaryFilter(filter, true, DOMAIN_HOUR_FIELDS) : null;
  if (byHour === null || byDomain === null) return null;
  const six = SUMMARY_FACET_COLUMNS.replace('message_to_domain', 'NULL');
  return {
    combos: grouped(db, { rows: SUMMARY_ROWS, where: byHour, coverage }, six, 6),
    domains: grouped(db, { rows: DOMAIN_HOUR_ROWS, where: byDomain, coverage }, 'message_to_domain', 1),
  };
}
