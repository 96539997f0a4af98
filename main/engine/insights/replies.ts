/** SMTP reply groups for the insights: one line per basic + enhanced code, explained in words. */
import type { ReplySummary } from '../../../common/insights';
import { explainSmtp } from '../smtp/explain';

const ADDRESS = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;

/** Replaces addresses in a reply text, so aggregated views show no recipient beyond the filter. */
export function redactAddresses(text: string): string {
  return text.replace(ADDRESS, '<address>');
}

/** `code`, `enhanced`, count and one sample text of a group, as the SQL groups them. */
export type ReplyGroup = [number | null, string | null, number, string | null];

export function summariseReply(g: ReplyGroup): ReplySummary {
  const [basic, enhanced, count, sample] = g;
  const text = redactAddresses((sample ?? '').replace(/\s*[\r\n]+\s*/g, ' ').trim());
  const code = [basic, enhanced].filter((x) => x !== null).join(' ') || '(no reply)';
  const e = explainSmtp(text === '' ? code : text);
  return { code, count, sample: text, summary: e.summary, verdict: e.verdict, nextStep: e.nextStep };
}

/** The `n` largest groups, explained. */
export function topReplies(groups: readonly ReplyGroup[], n: number): ReplySummary[] {
  return [...groups]
    .sort((a, b) => b[2] - a[2] || String(a[1] ?? a[0]).localeCompare(String(b[1] ?? b[0])))
    .slice(0, n)
    .map(summariseReply);
}
