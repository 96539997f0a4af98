/**
 * Recipient-domain health under a filter: per domain (and per mailbox provider, grouping its
 * domains) the outcome counts, a per-day trend and the top bounce replies explained in words.
 * Counts come from the same grouped pass as the facets; the trend and the replies from one grouped
 * pass each over the matching rows.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import type { DomainCounts, DomainLine, DomainsReport } from '../../../common/insights';
import { EngineError } from '../errors';
import { readDomains } from './domain-reads';
import { PROVIDERS, type ProviderIndex } from './providers';
import { topReplies, type ReplyGroup } from './replies';
import { DAY_MS, domainKey, insightsWhere } from './where';

export interface DomainsOptions {
  /** Lines returned at most (largest first); the rest are counted in domainCount. */
  readonly limit?: number;
  /** Replies listed per line. */
  readonly replies?: number;
  readonly providers?: ProviderIndex;
}

interface Acc {
  messages: number;
  delivered: number;
  hardBounces: number;
  softBounces: number;
  dropped: number;
  other: number;
  days: Map<number, [number, number]>;
  replies: ReplyGroup[];
}

function newAcc(): Acc {
  return {
    messages: 0,
    delivered: 0,
    hardBounces: 0,
    softBounces: 0,
    dropped: 0,
    other: 0,
    days: new Map(),
    replies: [],
  };
}

/** Outcome of a record by its (canonical) Substatus and Status Details. */
export function outcomeOf(
  substatus: string | null,
  details: string | null,
): keyof Omit<DomainCounts, 'messages' | 'bounceRate'> {
  if (substatus === 'DELIVERED') return 'delivered';
  if (details === 'HARD_BOUNCE') return 'hardBounces';
  if (details === 'SOFT_BOUNCE') return 'softBounces';
  if (substatus === 'DROPPED') return 'dropped';
  return 'other';
}

function counts(a: Acc): DomainCounts {
  return {
    messages: a.messages,
    delivered: a.delivered,
    hardBounces: a.hardBounces,
    softBounces: a.softBounces,
    dropped: a.dropped,
    other: a.other,
    bounceRate: a.messages === 0 ? 0 : (a.hardBounces + a.softBounces) / a.messages,
  };
}

function merge(into: Acc, from: Acc): void {
  into.messages += from.messages;
  into.delivered += from.delivered;
  into.hardBounces += from.hardBounces;
  into.softBounces += from.softBounces;
  into.dropped += from.dropped;
  into.other += from.other;
  for (const [day, [n, b]] of from.days) {
    const cur = into.days.get(day) ?? [0, 0];
    into.days.set(day, [cur[0] + n, cur[1] + b]);
  }
  // Same code from two domains: one group.
  for (const r of from.replies) {
    const same = into.replies.find((x) => x[0] === r[0] && x[1] === r[1]);
    if (same) same[2] += r[2];
    else into.replies.push([r[0], r[1], r[2], r[3]]);
  }
}

function line(
  key: string,
  label: string,
  provider: string | null,
  domains: string[],
  a: Acc,
  days: readonly number[],
  replies: number,
  members: DomainLine[],
): DomainLine {
  return {
    key,
    label,
    provider,
    domains,
    ...counts(a),
    trend: days.map((d) => a.days.get(d)?.[0] ?? 0),
    trendBounced: days.map((d) => a.days.get(d)?.[1] ?? 0),
    topReplies: topReplies(a.replies, replies),
    members,
  };
}

export function getDomains(db: Database, filter: FilterModel, opts: DomainsOptions = {}): DomainsReport {
  const limit = opts.limit ?? 200;
  const replies = opts.replies ?? 3;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new EngineError('INVALID_ARGUMENT', 'limit must be between 1 and 10000', { path: 'limit' });
  const providers = opts.providers ?? PROVIDERS;
  const where = insightsWhere(db, filter);
  const byDomain = new Map<string, Acc>();
  const acc = (d: string | null): Acc => {
    const k = domainKey(d);
    let a = byDomain.get(k);
    if (!a) byDomain.set(k, (a = newAcc()));
    return a;
  };

  const reads = readDomains(db, filter, where);
  for (const [domain, substatus, details, n] of reads.counts) {
    const a = acc(domain);
    a.messages += n;
    a[outcomeOf(substatus, details)] += n;
  }
  const daySet = new Set<number>();
  for (const [d, day, n, b] of reads.days) {
    const a = acc(d);
    const cur = a.days.get(day * DAY_MS) ?? [0, 0];
    a.days.set(day * DAY_MS, [cur[0] + n, cur[1] + b]);
    daySet.add(day * DAY_MS);
  }
  const days = [...daySet].sort((x, y) => x - y);
  // Every day between the first and the last, so the sparkline's x axis is even.
  const allDays: number[] = [];
  if (days.length > 0)
    for (let t = days[0] ?? 0; t <= (days[days.length - 1] ?? 0); t += DAY_MS) allDays.push(t);

  for (const [d, code, enhanced, n, sample] of reads.replies) {
    const a = acc(d);
    const same = a.replies.find((r) => r[0] === code && r[1] === enhanced);
    if (same) same[2] += n;
    else a.replies.push([code, enhanced, n, sample]);
  }

  // Provider groups first collect their domains; everything else is a line of its own.
  const groups = new Map<string, { name: string; domains: string[] }>();
  const lines: { line: () => DomainLine; messages: number }[] = [];
  for (const [domain, a] of byDomain) {
    const p = domain === '(none)' ? null : providers.providerOf(domain);
    if (p) {
      const g = groups.get(p.id) ?? { name: p.name, domains: [] };
      g.domains.push(domain);
      groups.set(p.id, g);
    } else
      lines.push({
        messages: a.messages,
        line: () => line(domain, domain, null, [domain], a, allDays, replies, []),
      });
  }
  for (const [id, g] of groups) {
    const total = newAcc();
    g.domains.sort((x, y) => (byDomain.get(y)?.messages ?? 0) - (byDomain.get(x)?.messages ?? 0));
    for (const d of g.domains) merge(total, byDomain.get(d) ?? newAcc());
    lines.push({
      messages: total.messages,
      line: () =>
        line(
          `provider:${id}`,
          g.name,
          g.name,
          g.domains,
          total,
          allDays,
          replies,
          g.domains.map((d) => line(d, d, g.name, [d], byDomain.get(d) ?? newAcc(), allDays, replies, [])),
        ),
    });
  }
  lines.sort((x, y) => y.messages - x.messages);
  return {
    days: allDays,
    lines: lines.slice(0, limit).map((l) => l.line()),
    domainCount: byDomain.size,
    truncated: lines.length > limit,
  };
}
