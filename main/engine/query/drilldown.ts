/** Every record of one Correlation ID, what changed between versions, and the hard bounces behind a suppression. */
import type { Database } from 'better-sqlite3';
import { COLUMN_IDS } from '../../../common/columns';
import type { Drilldown, DrilldownEntry, FieldChange, RecordRow } from '../../../common/contract';
import { EngineError } from '../errors';
import { explainSmtp } from '../smtp/explain';
import { summarizeEntries } from './outcome';
import { RECORD_SELECT } from './sql';

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

export function getDrilldown(db: Database, correlationId: string): Drilldown {
  if (typeof correlationId !== 'string' || correlationId.trim() === '' || correlationId.length > 500) {
    throw new EngineError('INVALID_ARGUMENT', 'Give a Correlation ID (1 to 500 characters)', {
      path: 'correlationId',
    });
  }
  const id = correlationId.trim();
  const records = db
    .prepare(
      `SELECT ${RECORD_SELECT} FROM records WHERE correlation_id = ? ORDER BY creation_time_ms, version, id`,
    )
    .all(id) as RecordRow[];
  const entries: DrilldownEntry[] = records.map((record, i) => {
    const smtp = typeof record.smtp_status_code === 'string' ? record.smtp_status_code.trim() : '';
    return {
      record,
      changes: changesBetween(records[i - 1], record),
      explanation: smtp === '' ? null : explainSmtp(smtp),
    };
  });
  const priorStmt = db.prepare(
    `SELECT ${RECORD_SELECT} FROM records
     WHERE lower(message_to) = lower(?) AND status_details = 'HARD_BOUNCE' AND creation_time_ms <= ?
     ORDER BY creation_time_ms DESC, id DESC LIMIT ${MAX_PRIOR_BOUNCES}`,
  );
  const prior = new Map<number, RecordRow>();
  for (const r of records) {
    if (!SUPPRESSION_DETAILS.includes(String(r.status_details)) || r.message_to === null) continue;
    const hits = priorStmt.all(r.message_to, r.creation_time_ms ?? Number.MAX_SAFE_INTEGER) as RecordRow[];
    for (const h of hits) prior.set(h.id, h);
  }
  const priorHardBounces = [...prior.values()].sort(
    (a, b) => (b.creation_time_ms ?? 0) - (a.creation_time_ms ?? 0) || b.id - a.id,
  );
  return { correlationId: id, entries, priorHardBounces, summary: summarizeEntries(entries) };
}
