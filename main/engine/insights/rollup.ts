/**
 * Counts the domains view and the incidents read instead of every matching record, kept after each
 * import (one call from the search-index phase, after summary.ts's tables) for the records with
 * id <= meta insights_upto:
 * - insights_domain_hour: records per recipient domain (as stored), clock hour (UTC, rounded down)
 *   and status / substatus / details; ~1 row per 25 records on the 1M-row bench;
 * - insights_replies: bounced records per domain, status columns and SMTP code, with the smallest
 *   reply text as the sample (the records path's min(smtp_status_code)); ~1 row per 1,000 records.
 * A filter that names only those columns (and whole hours) is answered from them plus the records
 * not yet in them (id > insights_upto), so answers stay exact. NULL is stored as '' (the code as -1)
 * so that the primary keys treat missing values as one group, as in summary_hour.
 * The tables are created here, not by a migration, so that this feature adds no schema version
 * beside the other branches' migrations. Whatever empties summary.ts's tables (records deleted)
 * empties the coverage here too, by trigger, so no deleter needs to know about these tables.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import {
  coverInChunks,
  coveredUpto,
  metaSet,
  schemaHas,
  staleWithSummaryTriggers,
  type CoverageKeys,
} from '../db/meta';
import type { SqlPart } from '../query/filter';
// The summaries' hour of a record (and of one without a time), so both tables count hours alike.
import { HOUR_OF_TIME, NO_HOUR, summaryFilter } from '../query/summary';
import { groupFactsByHour, insertFromGrouped } from '../query/summary-facts';
import { HOUR_MS } from './where';
import { updateAddressTables } from './address-table';

/** Coverage keys: records with id <= upto are in, mark tells whether they were cleared since. */
const COVERAGE: CoverageKeys = { upto: 'insights_upto', mark: 'insights_mark' };
const CHUNK_IDS = 500_000;
const STATUS = "ifnull(status, ''), ifnull(substatus, ''), ifnull(status_details, '')";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS insights_domain_hour (
    message_to_domain TEXT NOT NULL, hour INTEGER NOT NULL,
    status TEXT NOT NULL, substatus TEXT NOT NULL, status_details TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (message_to_domain, hour, status, substatus, status_details)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS insights_replies (
    message_to_domain TEXT NOT NULL, status TEXT NOT NULL, substatus TEXT NOT NULL,
    status_details TEXT NOT NULL, smtp_code INTEGER NOT NULL, smtp_enhanced TEXT NOT NULL,
    n INTEGER NOT NULL, sample TEXT,
    PRIMARY KEY (message_to_domain, status, substatus, status_details, smtp_code, smtp_enhanced)
  ) WITHOUT ROWID;
  ${staleWithSummaryTriggers('insights', COVERAGE.upto)}`;

function hasRollup(db: Database): boolean {
  return schemaHas(db, 'insights_domain_hour', 'insights_replies');
}

/** Records with id <= the returned value are in the rollup (0: none, stale, or no tables). */
export function rollupCoverage(db: Database): number {
  if (!hasRollup(db)) return 0;
  return coveredUpto(db, COVERAGE);
}

/**
 * Adds the records above insights_upto up to id `until` (default: all; all from the first when the
 * rollup is stale), in id chunks (one transaction each).
 */
export function updateInsightsRollup(db: Database, signal?: AbortSignal, until?: number): void {
  db.exec(SCHEMA);
  const upto = rollupCoverage(db);
  if (upto === 0)
    db.transaction(() => {
      db.exec('DELETE FROM insights_domain_hour; DELETE FROM insights_replies');
      metaSet(db, COVERAGE.upto, '0');
    })();
  const last = db.prepare('SELECT ifnull(max(id), 0) FROM records').pluck().get() as number;
  const maxId = Math.min(last, until ?? last);
  const hours = db.prepare(
    `INSERT INTO insights_domain_hour
     SELECT ifnull(message_to_domain, ''), ${HOUR_OF_TIME}, ${STATUS}, count(*) FROM records NOT INDEXED
     WHERE id > ? AND id <= ? GROUP BY 1, 2, 3, 4, 5
     ON CONFLICT DO UPDATE SET n = n + excluded.n`,
  );
  const replies = db.prepare(
    `INSERT INTO insights_replies
     SELECT ifnull(message_to_domain, ''), ${STATUS}, ifnull(smtp_code, -1), ifnull(smtp_enhanced, ''),
       count(*), min(smtp_status_code) FROM records NOT INDEXED
     WHERE id > ? AND id <= ? AND substatus = 'BOUNCED' GROUP BY 1, 2, 3, 4, 5, 6
     ON CONFLICT DO UPDATE SET n = n + excluded.n, sample = CASE
       WHEN sample IS NULL OR excluded.sample < sample THEN excluded.sample ELSE sample END`,
  );
  // The hours from record_facts where it covers the chunk (see query/summary-facts.ts).
  const hoursFromFacts = (): void => {
    insertFromGrouped(
      db,
      'insights_domain_hour',
      ['message_to_domain', 'hour', 'status', 'substatus', 'status_details'],
      ['c.message_to_domain', 'g.hour', 'c.status', 'c.substatus', 'c.status_details'],
    ).run();
  };
  const covered = coverInChunks(
    db,
    COVERAGE,
    { from: upto, until: maxId, chunk: CHUNK_IDS },
    (from, to) => {
      if (groupFactsByHour(db, from, to, HOUR_MS, NO_HOUR)) hoursFromFacts();
      else hours.run(from, to);
      replies.run(from, to);
    },
    signal,
  );
  if (!covered) return;
  // The typo list's addresses and pairs, over the same new records.
  updateAddressTables(db, signal, until);
}

/** The search fields whose columns the rollup rows carry (summaryFilter's `fields`). */
const ROLLUP_FIELDS: ReadonlySet<string> = new Set(['status', 'substatus', 'details', 'domain']);

/**
 * The filter as a WHERE clause over rollup rows, or null when it names anything else (free words,
 * addresses, codes, grid column filters, a time bound inside an hour; any time at all for `time`
 * false, the replies table having no hours). The summaries' test, with the rollup's fields.
 */
export function rollupFilter(filter: FilterModel, time: boolean): SqlPart | null {
  return summaryFilter(filter, time, ROLLUP_FIELDS);
}

const STATUS_ROWS =
  "nullif(status, '') AS status, nullif(substatus, '') AS substatus, nullif(status_details, '') AS status_details";

/** insights_domain_hour rows shaped like records: the hour's start as creation_time_ms. */
export const HOUR_ROWS = `(SELECT nullif(message_to_domain, '') AS message_to_domain, CASE WHEN hour = ${NO_HOUR}
  THEN NULL ELSE hour * ${HOUR_MS} END AS creation_time_ms, ${STATUS_ROWS}, n FROM insights_domain_hour)`;

/** insights_replies rows shaped like records. */
export const REPLY_ROWS = `(SELECT nullif(message_to_domain, '') AS message_to_domain, ${STATUS_ROWS},
  nullif(smtp_code, -1) AS smtp_code, nullif(smtp_enhanced, '') AS smtp_enhanced, n, sample FROM insights_replies)`;

export interface RollupSource {
  /** Rollup rows under the filter (HOUR_ROWS / REPLY_ROWS columns). */
  readonly where: SqlPart;
  /** The filter over records not yet in the rollup (id > coverage). */
  readonly pending: SqlPart;
}

/** Where to read a filter's counts from the rollup, or null when the records must answer. */
export function rollupSource(db: Database, filter: FilterModel, time: boolean): RollupSource | null {
  const where = rollupFilter(filter, time);
  if (where === null) return null;
  const coverage = rollupCoverage(db);
  if (coverage === 0) return null;
  return { where, pending: { sql: `id > ? AND (${where.sql})`, params: [coverage, ...where.params] } };
}
