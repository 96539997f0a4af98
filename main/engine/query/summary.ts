/**
 * Hourly counts per (status, substatus, details, SMTP code, region, interface) in `summary_hour`,
 * kept after each import (beside the substring index) for the records with id <= summary_upto.
 * A histogram or count whose filter only names those columns and whole hours is summed from it:
 * at most hours x combinations rows (~70k for a month of the 1M-row bench, ~1 per 14 records), where
 * the same question over `records` reads every matching row and, for most filters, looks each one up
 * in the table (the status indexes do not carry substatus). Records above summary_upto (an import
 * whose summary is pending) are counted from `records` by id range, so answers stay exact.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import { coverInChunks, coveredUpto, metaSet, schemaHas, type CoverageKeys } from '../db/meta';
import { parseSearch, type SearchTerm } from '../../../common/search-syntax';
import { and, compileWhere, type SqlPart } from './filter';
import { COMBO_KEYS, HOUR_KEYS } from './combo-keys';
import { invalidateRecordFacts } from './record-facts';
import { boundTerm, FACETS_INDEX, facetsIndexUpto } from './facets-index';
import { DOMAIN_HOUR_TABLE, domainHourInsert, ensureDomainHour, hasDomainHour } from './summary-domain';
import { groupFactsByHour, hourOfColumn, insertFromGrouped } from './summary-facts';

export const HOUR_MS = 3_600_000;
/**
 * The hour of a record without a time: far below any real one (times before 1970 are negative, back
 * to year 0000, so -1 would be a real hour).
 */
export const NO_HOUR = -1_000_000_000_000;
/** Rounded down also for times before 1970 (SQLite's integer division truncates toward zero). */
export const HOUR_OF_TIME = hourOfColumn('creation_time_ms', HOUR_MS, NO_HOUR);
/** Coverage keys: records with id <= upto are in, mark tells whether they were cleared since. */
const COVERAGE: CoverageKeys = { upto: 'summary_upto', mark: 'summary_mark' };
const CHUNK_IDS = 500_000;

/** Search fields that name a summary_hour column (common/search-fields.ts); smtp: basic codes only. */
export const SUMMARY_FIELDS: ReadonlySet<string> = new Set([
  'status',
  'substatus',
  'details',
  'region',
  'interface',
  'smtp',
]);
/** summary_facets: the same and the recipient domain, without the hour. */
export const FACET_FIELDS: ReadonlySet<string> = new Set([...SUMMARY_FIELDS, 'domain']);

function hasSummary(db: Database): boolean {
  return schemaHas(db, 'summary_hour', 'summary_facets');
}

/** Records with id <= the returned value are in the summary (0: none, or the table is missing). */
export function summaryCoverage(db: Database): number {
  if (!hasSummary(db)) return 0;
  return coveredUpto(db, COVERAGE);
}

/**
 * Empties the summaries; until the next import refills them, every question is answered from
 * `records`. Whatever deletes records other than a rolled-back load must call this in its transaction.
 */
export function invalidateSummary(db: Database): void {
  // record_facts is kept over the same records (record-facts.ts).
  invalidateRecordFacts(db);
  forgetSummary(db);
}

/** The summaries alone start over (the rollup and the address tables follow: their meta triggers). */
function forgetSummary(db: Database): void {
  if (!hasSummary(db)) return;
  clearSummaryTables(db);
  db.exec("DELETE FROM meta WHERE key IN ('summary_upto', 'summary_mark')");
}

function clearSummaryTables(db: Database): void {
  db.exec('DELETE FROM summary_hour; DELETE FROM summary_facets');
  if (hasDomainHour(db)) db.exec(`DELETE FROM ${DOMAIN_HOUR_TABLE}`);
}

/** Adds the records above summary_upto up to id `until` (default: all), in id chunks (one transaction each). */
export function updateSummary(db: Database, signal?: AbortSignal, until?: number): void {
  if (!hasSummary(db)) return;
  // A workspace summarised before summary_domain_hour existed is summarised again from the start;
  // its records are unchanged, so record_facts (which the summaries are grouped from) stays.
  if (db.transaction(() => ensureDomainHour(db))()) forgetSummary(db);
  const upto = summaryCoverage(db);
  if (upto === 0) {
    // Nothing covered (first time, records cleared since, or tables emptied): start from empty tables.
    db.transaction(() => {
      clearSummaryTables(db);
      metaSet(db, COVERAGE.upto, '0');
    })();
  }
  const last = (db.prepare('SELECT ifnull(max(id), 0) AS m FROM records').get() as { m: number }).m;
  const maxId = Math.min(last, until ?? last);
  const cols = HOUR_KEYS.map((k) => `ifnull(${k.col}, ${k.none})`).join(', ');
  const names = HOUR_KEYS.map((k) => k.col).join(', ');
  const add = db.prepare(
    `INSERT INTO summary_hour (hour, ${names}, n)
     SELECT ${HOUR_OF_TIME}, ${cols}, count(*) FROM records
     WHERE id > ? AND id <= ? GROUP BY 1, 2, 3, 4, 5, 6, 7
     ON CONFLICT DO UPDATE SET n = n + excluded.n`,
  );
  // Grouped in the order of the covering facet index when it exists (no sort); the domain as stored
  // (facets fold its case when they add up).
  // A small share of the table is read by id range and sorted instead.
  const addFacets = (hint: string, bound = '1'): Statement =>
    db.prepare(
      `INSERT INTO summary_facets (${names}, message_to_domain, n)
       SELECT ${cols}, ifnull(message_to_domain, ''), count(*) FROM records ${hint}
       WHERE id > ? AND id <= ? AND ${bound} GROUP BY 1, 2, 3, 4, 5, 6, 7
       ON CONFLICT DO UPDATE SET n = n + excluded.n`,
    );
  // The facet index covers ids up to its bound (facets-index.ts): used for chunks below it only.
  const facetsUpto = (): number | null => facetsIndexUpto(db);
  const byIndex = (upto: number | null): Statement | null =>
    upto === null ? null : addFacets(`INDEXED BY ${FACETS_INDEX}`, boundTerm(upto));
  const byRange = addFacets('NOT INDEXED');
  const addDomain = db.prepare(domainHourInsert(HOUR_OF_TIME));
  // The same three tables from record_facts, where it covers the chunk (see summary-facts.ts).
  const combo = HOUR_KEYS.map((k) => `c.${k.col}`);
  const fromFacts = [
    () =>
      insertFromGrouped(db, 'summary_hour', ['hour', ...HOUR_KEYS.map((k) => k.col)], ['g.hour', ...combo]),
    () =>
      insertFromGrouped(
        db,
        'summary_facets',
        [...HOUR_KEYS.map((k) => k.col), 'message_to_domain'],
        [...combo, 'c.message_to_domain'],
      ),
    () =>
      insertFromGrouped(
        db,
        DOMAIN_HOUR_TABLE,
        ['hour', 'status', 'substatus', 'message_to_domain'],
        ['g.hour', 'c.status', 'c.substatus', 'c.message_to_domain'],
      ),
  ];
  coverInChunks(
    db,
    COVERAGE,
    { from: upto, until: maxId, chunk: CHUNK_IDS },
    (from, to) => {
      if (groupFactsByHour(db, from, to, HOUR_MS, NO_HOUR)) {
        for (const stmt of fromFacts) stmt().run();
        return;
      }
      add.run(from, to);
      addDomain.run(from, to);
      // Read under the write lock, per chunk: another import's load may have dropped the index (it
      // drops the search-only indexes), or the search-index phase rebuilt it with another bound.
      const upto = (to - from) * 5 > last ? facetsUpto() : null;
      ((upto !== null && to <= upto ? byIndex(upto) : null) ?? byRange).run(from, to);
    },
    signal,
  );
}

const aligned = (ms: number | undefined): boolean => ms === undefined || ms % HOUR_MS === 0;

/** Whether one search term only names `fields` (and whole hours, where `time` allows times). */
function summaryTerm(t: SearchTerm, time: boolean, fields: ReadonlySet<string>): boolean {
  if (t.kind !== 'field') return false;
  const f = t.field;
  if (f.kind === 'enum') return fields.has(f.name);
  if (f.kind === 'equals') return f.name === 'domain' && fields.has('domain');
  if (f.kind === 'smtp') return fields.has('smtp') && t.smtp !== undefined && t.smtp.type !== 'enhanced';
  if (f.kind === 'date') return time && aligned(t.number);
  return false;
}

/**
 * The filter as a WHERE clause over summary rows (`summaryRows`), or null when it names anything
 * else: free words, addresses, IDs, sizes, grid column filters, or a time bound inside an hour.
 */
export function summaryFilter(
  filter: FilterModel,
  time = true,
  fields: ReadonlySet<string> = SUMMARY_FIELDS,
): SqlPart | null {
  if (filter.conditions !== undefined && filter.conditions.length > 0) return null;
  if (!aligned(filter.timeFrom) || !aligned(filter.timeTo)) return null;
  if (!time && (filter.timeFrom !== undefined || filter.timeTo !== undefined)) return null;
  const q = filter.q ?? '';
  if (q.trim() !== '') {
    let terms: SearchTerm[];
    try {
      // In the filter's zone, as compileWhere reads it: a date is a whole hour in UTC but not in +05:30.
      terms = parseSearch(q, filter.timeZone === undefined ? {} : { timeZone: filter.timeZone });
    } catch {
      return null; // compileWhere reports the syntax error on the ordinary path
    }
    if (!terms.every((t) => summaryTerm(t, time, fields))) return null;
  }
  // The same compiler as for records: the summary rows below carry the same column names and NULLs.
  return compileWhere(filter);
}

/** The facet columns of the summary rows, in records_facets order (see facets-plan.ts). */
export const SUMMARY_FACET_COLUMNS = COMBO_KEYS.map((k) => k.col).join(', ');

/** summary_facets rows shaped like records (no time). */
export const FACET_ROWS = `(SELECT ${COMBO_KEYS.map((k) => `nullif(${k.col}, ${k.none}) AS ${k.col}`).join(
  ', ',
)}, n FROM summary_facets)`;

/**
 * The hourly tables' stored key prefix (hour, status, substatus) under names no record column has:
 * grouped by these, SQLite reads the primary key in order and needs no temp B-tree, where grouping by
 * the shaped columns (nullif, CASE) sorted every summary row (histogram-summary.ts).
 */
export const HOUR_KEY_COLUMNS =
  'hour AS summary_hour_key, status AS summary_status_key, substatus AS summary_substatus_key';

/** Summary rows shaped like records: the hour's start as creation_time_ms, sentinels back to NULL. */
export const SUMMARY_ROWS = `(SELECT ${HOUR_KEY_COLUMNS}, CASE WHEN hour = ${NO_HOUR} THEN NULL ELSE hour * ${HOUR_MS} END AS creation_time_ms, ${HOUR_KEYS.map(
  (k) => `nullif(${k.col}, ${k.none}) AS ${k.col}`,
).join(', ')}, n FROM summary_hour)`;

/**
 * Rows of records not yet in the summary, under `where`; queried NOT INDEXED so that SQLite reads the
 * id range (usually empty) rather than walking a whole index for min() or the filter (measured: 2-5 s).
 */
export function pendingRecords(where: SqlPart, coverage: number): SqlPart {
  return and([{ sql: 'id > ?', params: [coverage] }, where]);
}
