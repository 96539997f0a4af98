/**
 * The end of a Correlation ID's story from its records in time order: final outcome, when, after how
 * many attempts over how long, and the bounces before it by kind. Pure over the drilldown entries so
 * the CLI, the app and the tests share one reading.
 */
import type { BounceKind, DrilldownEntry, DrilldownSummary, FinalOutcome } from '../../../common/contract';

const text = (v: unknown): string => (typeof v === 'string' ? v.trim().toUpperCase() : '');

/** A bounce's kind: the portal's detail when it says, else the SMTP reply's verdict. */
function bounceKind(e: DrilldownEntry): BounceKind | null {
  const details = text(e.record.status_details);
  if (details === 'SOFT_BOUNCE') return 'soft';
  if (details === 'HARD_BOUNCE') return 'hard';
  if (text(e.record.substatus) !== 'BOUNCED') return null;
  const verdict = e.explanation?.verdict;
  return verdict === 'soft' || verdict === 'hard' || verdict === 'policy' ? verdict : 'unknown';
}

function finalOutcome(e: DrilldownEntry): { outcome: FinalOutcome; outcomeText: string } {
  const sub = text(e.record.substatus);
  const details = text(e.record.status_details);
  const status = text(e.record.status);
  if (sub === 'DELIVERED') return { outcome: 'delivered', outcomeText: 'delivered' };
  if (sub === 'BOUNCED') {
    const kind = bounceKind(e) ?? 'unknown';
    return { outcome: 'bounced', outcomeText: kind === 'unknown' ? 'bounced' : `${kind} bounce` };
  }
  if (sub === 'DROPPED')
    return { outcome: 'dropped', outcomeText: details ? `dropped (${details})` : 'dropped' };
  if (status === 'ERROR')
    return { outcome: 'failed', outcomeText: details ? `failed (${details})` : 'failed' };
  if (status === 'OK') return { outcome: 'accepted', outcomeText: 'accepted, not yet delivered' };
  return { outcome: 'unknown', outcomeText: 'no final status' };
}

export function summarizeEntries(entries: readonly DrilldownEntry[]): DrilldownSummary | null {
  const last = entries[entries.length - 1];
  if (!last) return null;
  const times = entries.map((e) => e.record.creation_time_ms).filter((t): t is number => t != null);
  const firstMs = times.length ? Math.min(...times) : null;
  const finalMs = last.record.creation_time_ms;
  const counts = new Map<BounceKind, number>();
  for (const e of entries.slice(0, -1)) {
    const kind = bounceKind(e);
    if (kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return {
    ...finalOutcome(last),
    finalMs,
    firstMs,
    attempts: entries.length,
    spanMs: firstMs != null && finalMs != null ? finalMs - firstMs : null,
    earlierBounces: [...counts].map(([kind, count]) => ({ kind, count })),
  };
}
