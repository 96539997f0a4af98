/**
 * getDrilldown (drilldown.ts) as a stream for the CLI: entries are yielded as they are read, so a
 * Correlation ID with very many records is written in flat memory; only the (few) suppressed
 * recipients are remembered, for the prior hard bounces listed after the entries.
 */
import type { Database } from 'better-sqlite3';
import type { DrilldownEntry, RecordRow } from '../../../common/contract';
import { EngineError } from '../errors';
import { explainSmtp } from '../smtp/explain';
import { changesBetween, correlationQuery, priorBouncesQuery, SUPPRESSION_DETAILS } from './drilldown';

export interface DrilldownStream {
  readonly correlationId: string;
  readonly entries: IterableIterator<DrilldownEntry>;
  /** Call after `entries` is exhausted: earlier hard bounces of the suppressed recipients seen. */
  readonly priorHardBounces: () => RecordRow[];
}

export function streamDrilldown(db: Database, correlationId: string): DrilldownStream {
  if (correlationId.trim() === '' || correlationId.length > 500)
    throw new EngineError('INVALID_ARGUMENT', 'Give a Correlation ID (1 to 500 characters)', {
      path: 'correlationId',
    });
  const id = correlationId.trim();
  const suppressed: { to: string; at: number }[] = [];
  function* entries(): IterableIterator<DrilldownEntry> {
    const q = correlationQuery(db);
    let prev: RecordRow | undefined;
    for (const record of db.prepare(q.sql).iterate(...q.bind(id)) as IterableIterator<RecordRow>) {
      const smtp = typeof record.smtp_status_code === 'string' ? record.smtp_status_code.trim() : '';
      if (
        SUPPRESSION_DETAILS.includes(String(record.status_details)) &&
        typeof record.message_to === 'string'
      )
        suppressed.push({ to: record.message_to, at: record.creation_time_ms ?? Number.MAX_SAFE_INTEGER });
      yield {
        record,
        changes: changesBetween(prev, record),
        explanation: smtp === '' ? null : explainSmtp(smtp),
      };
      prev = record;
    }
  }
  const priorHardBounces = (): RecordRow[] => {
    const q = priorBouncesQuery(db);
    const stmt = db.prepare(q.sql);
    const prior = new Map<number, RecordRow>();
    for (const s of suppressed)
      for (const h of stmt.all(...q.bind(s.to, s.at)) as RecordRow[]) prior.set(h.id, h);
    return [...prior.values()].sort(
      (a, b) => (b.creation_time_ms ?? 0) - (a.creation_time_ms ?? 0) || b.id - a.id,
    );
  };
  return { correlationId: id, entries: entries(), priorHardBounces };
}
