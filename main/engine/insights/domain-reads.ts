/**
 * The three grouped reads of the domains view: outcome counts, the per-day trend and the bounce
 * replies, per recipient domain (as stored; the view folds case). From the rollup (rollup.ts) when
 * the filter names only its columns, else from the matching records.
 */
import type { Database } from 'better-sqlite3';
import { schemaHas } from '../db/meta';
import type { FilterModel } from '../../../common/contract';
import { facetCombos } from '../query/facets-plan';
import type { SqlPart } from '../query/filter';
import type { ReplyGroup } from './replies';
import { HOUR_ROWS, REPLY_ROWS, rollupSource } from './rollup';
import { DAY_MS, HOUR_MS, matchingRows } from './where';

export type CountRow = [domain: string | null, substatus: string | null, details: string | null, n: number];
export type DayRow = [domain: string | null, day: number, n: number, bounced: number];
export type ReplyRow = [domain: string | null, ...group: ReplyGroup];

export interface DomainReads {
  readonly counts: CountRow[];
  readonly days: DayRow[];
  readonly replies: ReplyRow[];
}

/** The UTC day (rounded down, also before 1970) of a time in ms. */
const DAY_OF = `(creation_time_ms / ${DAY_MS} - (creation_time_ms % ${DAY_MS} < 0))`;
const BOUNCED = "count(CASE substatus WHEN 'BOUNCED' THEN 1 END)";

function all<T>(db: Database, sql: string, params: SqlPart['params']): T[] {
  return db
    .prepare(sql)
    .raw()
    .all(...params) as T[];
}

function fromRecords(db: Database, where: SqlPart): DomainReads {
  const counts: CountRow[] = facetCombos(db, where).combos.map(([, s, d, , , , domain, n]) => [
    domain,
    s,
    d,
    n,
  ]);
  const trend = matchingRows(where, 'message_to_domain, creation_time_ms, substatus');
  const days = all<DayRow>(
    db,
    `${trend.prefix}SELECT message_to_domain, ${DAY_OF}, count(*), ${BOUNCED}
     FROM ${trend.source} WHERE creation_time_ms IS NOT NULL GROUP BY 1, 2`,
    where.params,
  );
  return { counts, days, replies: repliesFromRecords(db, where) };
}

function repliesFromRecords(db: Database, where: SqlPart): ReplyRow[] {
  const src = matchingRows(where, 'message_to_domain, substatus, smtp_code, smtp_enhanced, smtp_status_code');
  return all<ReplyRow>(
    db,
    `${src.prefix}SELECT message_to_domain, smtp_code, smtp_enhanced, count(*), min(smtp_status_code)
     FROM ${src.source} WHERE substatus = 'BOUNCED' GROUP BY 1, 2, 3`,
    where.params,
  );
}

/** Reads for the filter; `where` is its WHERE over records (insightsWhere). */
export function readDomains(db: Database, filter: FilterModel, where: SqlPart): DomainReads {
  const src = rollupSource(db, filter, true);
  if (src === null) return fromRecords(db, where);
  // One pass gives counts and days: grouped by domain, day and outcome columns (a few thousand rows).
  const grouped = all<[string | null, number | null, string | null, string | null, number, number]>(
    db,
    `SELECT message_to_domain, day, substatus, status_details, sum(n), sum(n) FILTER (WHERE substatus = 'BOUNCED')
     FROM (SELECT message_to_domain, ${DAY_OF} AS day, substatus, status_details, n FROM ${HOUR_ROWS} WHERE ${src.where.sql}
       UNION ALL
       SELECT message_to_domain, ${DAY_OF}, substatus, status_details, 1 FROM records NOT INDEXED WHERE ${src.pending.sql})
     GROUP BY 1, 2, 3, 4`,
    [...src.where.params, ...src.pending.params],
  );
  const counts: CountRow[] = [];
  const dayMap = new Map<string | null, Map<number, [number, number]>>();
  for (const [domain, day, substatus, details, n, b] of grouped) {
    counts.push([domain, substatus, details, n]);
    if (day === null) continue; // no time: counted, not on the trend
    let m = dayMap.get(domain);
    if (!m) dayMap.set(domain, (m = new Map<number, [number, number]>()));
    const cur = m.get(day) ?? [0, 0];
    m.set(day, [cur[0] + n, cur[1] + (b ?? 0)]);
  }
  const days: DayRow[] = [];
  for (const [domain, m] of dayMap) for (const [day, [n, b]] of m) days.push([domain, day, n, b]);
  const rs = rollupSource(db, filter, false);
  const replies =
    rs === null
      ? repliesFromRecords(db, where)
      : all<ReplyRow>(
          db,
          `SELECT message_to_domain, smtp_code, smtp_enhanced, sum(n), min(sample)
           FROM (SELECT message_to_domain, smtp_code, smtp_enhanced, n, sample FROM ${REPLY_ROWS}
               WHERE substatus = 'BOUNCED' AND (${rs.where.sql})
             UNION ALL
             SELECT message_to_domain, smtp_code, smtp_enhanced, 1, smtp_status_code FROM records NOT INDEXED
               WHERE substatus = 'BOUNCED' AND ${rs.pending.sql})
           GROUP BY 1, 2, 3`,
          [...rs.where.params, ...rs.pending.params],
        );
  return { counts, days, replies };
}

/** Bounce replies under the filter over all domains (the case report's): code, enhanced, count, sample. */
export function replyGroups(db: Database, filter: FilterModel, where: SqlPart): ReplyGroup[] {
  const rs = rollupSource(db, filter, false);
  if (rs === null) {
    const src = matchingRows(where, 'substatus, smtp_code, smtp_enhanced, smtp_status_code');
    return all<ReplyGroup>(
      db,
      `${src.prefix}SELECT smtp_code, smtp_enhanced, count(*), min(smtp_status_code) FROM ${src.source}
       WHERE substatus = 'BOUNCED' GROUP BY 1, 2`,
      where.params,
    );
  }
  return all<ReplyGroup>(
    db,
    `SELECT smtp_code, smtp_enhanced, sum(n), min(sample)
     FROM (SELECT smtp_code, smtp_enhanced, n, sample FROM ${REPLY_ROWS}
         WHERE substatus = 'BOUNCED' AND (${rs.where.sql})
       UNION ALL
       SELECT smtp_code, smtp_enhanced, 1, smtp_status_code FROM records NOT INDEXED
         WHERE substatus = 'BOUNCED' AND ${rs.pending.sql})
     GROUP BY 1, 2`,
    [...rs.where.params, ...rs.pending.params],
  );
}

/**
 * First and last creation time under the filter. From the rollup: its first and last hour, then the
 * exact time inside those two hours from the records by the time index (a few thousand rows, where
 * min/max over a whole domain read every one of its records from the table: 1.3 s at 1M).
 */
export function timeSpan(db: Database, filter: FilterModel, where: SqlPart): [number | null, number | null] {
  const plain = `SELECT min(creation_time_ms), max(creation_time_ms) FROM records WHERE ${where.sql}`;
  const src = rollupSource(db, filter, true);
  const timeIndex = schemaHas(db, 'records_time');
  if (src === null || !timeIndex)
    return db
      .prepare(plain)
      .raw()
      .get(...where.params) as [number | null, number | null];
  const [first, last] = db
    .prepare(
      `SELECT min(creation_time_ms), max(creation_time_ms) FROM (
         SELECT creation_time_ms FROM ${HOUR_ROWS} WHERE ${src.where.sql}
         UNION ALL SELECT creation_time_ms FROM records NOT INDEXED WHERE ${src.pending.sql})`,
    )
    .raw()
    .get(...src.where.params, ...src.pending.params) as [number | null, number | null];
  if (first === null || last === null) return [null, null];
  const inHour = (fn: 'min' | 'max', hourStart: number): number | null =>
    db
      .prepare(
        `SELECT ${fn}(creation_time_ms) FROM records INDEXED BY records_time
         WHERE creation_time_ms >= ? AND creation_time_ms < ? AND (${where.sql})`,
      )
      .pluck()
      .get(hourStart, hourStart + HOUR_MS, ...where.params) as number | null;
  // The first (last) value lies in the hour of the true first (last) time, whether that record is
  // in the rollup (its hour start) or pending (its own time).
  return [
    inHour('min', Math.floor(first / HOUR_MS) * HOUR_MS),
    inHour('max', Math.floor(last / HOUR_MS) * HOUR_MS),
  ];
}
