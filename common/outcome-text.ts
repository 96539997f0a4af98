/**
 * The one-line story of a Correlation ID ("delivered at 19:42 after 2 soft bounces (3 attempts,
 * 30 min)"), written from the engine's DrilldownSummary. Shared by the CLI (times in UTC or a chosen
 * zone) and the drilldown panel (times in the display zone), so both tell the same story.
 */
import type { BounceKind, DrilldownSummary } from './contract';

const KIND_WORD: Readonly<Record<BounceKind, string>> = {
  soft: 'soft bounce',
  hard: 'hard bounce',
  policy: 'policy bounce',
  unknown: 'bounce',
};

/** "30 s", "30 min", "2 h 5 min", "3 d 4 h". */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "2 soft bounces and 1 hard bounce". */
export function bounceList(bounces: DrilldownSummary['earlierBounces']): string {
  const parts = bounces.filter((b) => b.count > 0).map((b) => plural(b.count, KIND_WORD[b.kind]));
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}

/** The summary as one sentence; `time` formats an epoch ms for the reader (zone, length). */
export function describeSummary(s: DrilldownSummary, time: (ms: number) => string): string {
  const when = s.finalMs == null ? '' : ` at ${time(s.finalMs)}`;
  const head = `${s.outcomeText}${when}`;
  if (s.attempts <= 1) return `${head}, first attempt`;
  const bounces = bounceList(s.earlierBounces);
  const span = s.spanMs == null ? '' : `, ${formatSpan(s.spanMs)}`;
  const after =
    bounces === ''
      ? `after ${s.attempts - 1} earlier ${s.attempts === 2 ? 'record' : 'records'}`
      : `after ${bounces}`;
  return `${head} ${after} (${s.attempts} attempts${span})`;
}
