/** Every record of one Correlation ID, what changed between versions, and the hard bounces behind a suppression. */
import type { Database } from 'better-sqlite3';
import { COLUMN_IDS } from '../../../common/columns';
import type { Drilldown, DrilldownEntry, FieldChange, RecordRow } from '../../../common/contract';
import { EngineError } from '../errors';
import { explainSmtp } from '../smtp/explain';
import { summarizeEntries } from './outcome';
import { RECORD_SELECT } from './sql';
import { CORRELATION_INDEX, TO_INDEX } from './grid-partial';
import { partialIndexUpto, perSide, unionOfSides } from './partial-index';

/** Status details that mean "not sent because of an earlier bounce". */
export const SUPPRESSION_DETAILS: readonly string[] = ['PREVIOUSLY_BOUNCED', 'SUPPRESSED'];

/** Hard bounces listed per suppressed recipient, newest first. */
export const MAX_PRIOR_BOUNCES = 20;

export function changesBetween(prev: RecordRow | undefined, cur: RecordRow): FieldChange[] {
  if (!prev) return [];
  const out: FieldChange[] = [];
  for (const column of COLUMN_IDS)
    if (prev[column] !== cur[column]) out.push({ column, from: prev[column], to: cur[column] });
  return out;
}

/** A query over one or both sides of a partial index and how to bind its parameters (grid-partial.ts). */
export interface SidedQuery {
  readonly sql: string;
  readonly bind: (...params: (string | number)[]) => (string | number)[];
}

function sided(db: Database, index: string, select: (side: string) => string, outer: string): SidedQuery {
  const upto = partialIndexUpto(db, index);
  return { sql: `${unionOfSides(upto, select)} ${outer}`, bind: (...p) => perSide(upto, p) };
}

/** The records of one Correlation ID in order (records_correlation: each side read through it, merged). */
export function correlationQuery(db: Database): SidedQuery {
  const order = 'ORDER BY creation_time_ms, version, id';
  return sided(
    db,
    CORRELATION_INDEX.name,
    (side) => `SELECT ${RECORD_SELECT} FROM records WHERE ${side} AND correlation_id = ? ${order}`,
    order,
  );
}

/** A recipient's hard bounces up to a time, newest first (records_to, as correlationQuery). */
export function priorBouncesQuery(db: Database): SidedQuery {
  const order = `ORDER BY creation_time_ms DESC, id DESC LIMIT ${MAX_PRIOR_BOUNCES}`;
  return sided(
    db,
    TO_INDEX.name,
    (side) => `SELECT ${RECORD_SELECT} FROM records WHERE ${side}
       AND lower(message_to) = lower(?) AND status_details = 'HARD_BOUNCE' AND creation_time_ms <= ? ${order}`,
    order,
  );
}

export function getDrilldown(db: Database, correlationId: string): Drilldown {
  if (typeof correlationId !== 'string' || correlationId.trim() === '' || correlationId.length > 500) {
    throw new EngineError('INVALID_ARGUMENT', 'Give a Correlation ID (1 to 500 characters)', {
      path: 'correlationId',
    });
  }
  const id = correlationId.trim();
  const byCorrelation = correlationQuery(db);
  const records = db.prepare(byCorrelation.sql).all(...byCorrelation.bind(id)) as RecordRow[];
  const entries: DrilldownEntry[] = records.map((record, i) => {
    const smtp = typeof record.smtp_status_code === 'string' ? record.smtp_status_code.trim() : '';
    return {
      record,
      changes: changesBetween(records[i - 1], record),
      explanation: smtp === '' ? null : explainSmtp(smtp),
    };
  });
  const priorQuery = priorBouncesQuery(db);
  const priorStmt = db.prepare(priorQuery.sql);
  const prior = new Map<number, RecordRow>();
  for (const r of records) {
    if (!SUPPRESSION_DETAILS.includes(String(r.status_details)) || r.message_to === null) continue;
    const at = r.creation_time_ms ?? Number.MAX_SAFE_INTEGER;
    const hits = priorStmt.all(...priorQuery.bind(r.message_to, at)) as RecordRow[];
    for (const h of hits) prior.set(h.id, h);
  }
  const priorHardBounces = [...prior.values()].sort(
    (a, b) => (b.creation_time_ms ?? 0) - (a.creation_time_ms ?? 0) || b.id - a.id,
  );
  return { correlationId: id, entries, priorHardBounces, summary: summarizeEntries(entries) };
}
