/**
 * Hourly counts per (status, substatus, recipient domain) in `summary_domain_hour`, kept beside
 * summary_hour (same coverage, see summary.ts). It answers what the other two summaries cannot:
 * - the histogram and count of `domain:` filters (summary_hour has no domain; from `records` the
 *   histogram looked up every matching row for its substatus: `domain:web.de` 2 s at 1M rows);
 * - the domain facet of a filter with a time bound (summary_facets has no hour; such facets
 *   collected the ids of the window first: `after:2026-10-20` 1.5 s at 1M rows).
 * Size: hours x the (status, substatus, domain) combinations present in each hour; 58k rows for the
 * bench's 1M-row month (10 domains), at most one row per record for many rare domains.
 * Created on first use by the writer (like the deferred indexes), not by a migration: a workspace
 * without it is summarised from the start on its next import.
 */
import type { Database } from 'better-sqlite3';
import { schemaHas } from '../db/meta';

export const DOMAIN_HOUR_TABLE = 'summary_domain_hour';

const CREATE = `CREATE TABLE IF NOT EXISTS ${DOMAIN_HOUR_TABLE} (
  hour INTEGER NOT NULL,
  status TEXT NOT NULL,
  substatus TEXT NOT NULL,
  message_to_domain TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (hour, status, substatus, message_to_domain)
) WITHOUT ROWID`;

/** Search fields the table can answer (besides whole-hour after:/before:). */
export const DOMAIN_HOUR_FIELDS: ReadonlySet<string> = new Set(['status', 'substatus', 'domain']);

export function hasDomainHour(db: Database): boolean {
  return schemaHas(db, DOMAIN_HOUR_TABLE);
}

/** Creates the table when missing; true when it was created (so it must be filled from the first record). */
export function ensureDomainHour(db: Database): boolean {
  if (hasDomainHour(db)) return false;
  db.exec(CREATE);
  return true;
}

/**
 * The grouped insert of the records in an id range `(?, ?]`; `hourOf` is summary.ts's hour expression.
 * The domain as stored (the facets and the folded filter compare lower()).
 */
export function domainHourInsert(hourOf: string): string {
  return `INSERT INTO ${DOMAIN_HOUR_TABLE} (hour, status, substatus, message_to_domain, n)
    SELECT ${hourOf}, ifnull(status, ''), ifnull(substatus, ''), ifnull(message_to_domain, ''), count(*)
    FROM records NOT INDEXED WHERE id > ? AND id <= ? GROUP BY 1, 2, 3, 4
    ON CONFLICT DO UPDATE SET n = n + excluded.n`;
}

/** Rows shaped like records: the hour's start as creation_time_ms, '' back to NULL. */
export function domainHourRows(noHour: number, hourMs: number, keyColumns: string): string {
  return `(SELECT ${keyColumns}, CASE WHEN hour = ${noHour} THEN NULL ELSE hour * ${hourMs} END AS creation_time_ms,
    nullif(status, '') AS status, nullif(substatus, '') AS substatus,
    nullif(message_to_domain, '') AS message_to_domain, n FROM ${DOMAIN_HOUR_TABLE})`;
}
