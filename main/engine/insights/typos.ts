/**
 * Typo hints for recipients that hard-bounced or were invalid:
 * - domain: the domain received nothing in this case, is no known provider domain, and is one typing
 *   slip from a common provider domain (providers.json) or from a domain with deliveries here
 *   (gmial.com -> gmail.com, t-onlin.de -> t-online.de);
 * - local part: the address received nothing, an address at the same domain one letter slip away (not
 *   in an initial, see edits.ts) was delivered to, and the mistyped name part occurs in no other
 *   address of the case (a real name such as "meyer" next to "meier" is another person, not a slip).
 * One address gets at most one hint: the candidate with the most deliveries (provider domains first).
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import type { TypoHint, TypoLine, TyposReport } from '../../../common/insights';
import { EngineError } from '../errors';
import { facetCombos, type Combo } from '../query/facets-plan';
import { summaryFacetCombos } from '../query/summary-read';
import { normaliseAddress } from '../query/lookup';
import { localSlip, oneEditApart, slippedToken, slipVariants, splitAddress } from './edits';
import { nameChecker } from './names';
import { PROVIDERS, type ProviderIndex } from './providers';
import { SlipIndex } from './slip-index';
import { addressesAt } from './address-scan';
import { addressTablesComplete, typoPairs } from './address-table';
import { bouncedUnder, recordsDeliveredCounter } from './typo-bounced';
import { splitPredicate, TO_INDEX } from '../query/grid-partial';

/** Shorter local parts are left alone: "tom" and "tim" are different people. */
export const MIN_LOCAL = 5;
/** Deliveries a domain of this case needs before it is a correction target. */
export const MIN_TARGET_DELIVERED = 3;

interface Context {
  readonly delivered: ReadonlyMap<string, number>;
  /** Records per lower-cased domain, and in all. */
  readonly records: ReadonlyMap<string, number>;
  readonly total: number;
  readonly targets: readonly string[];
  readonly providers: ProviderIndex;
  readonly isProviderTarget: ReadonlySet<string>;
  /** Domain -> its correction target (null: none), filled as domains come up. */
  readonly targetOf: Map<string, string | null>;
}

function context(db: Database, providers: ProviderIndex): Context {
  const delivered = new Map<string, number>();
  const records = new Map<string, number>();
  let total = 0;
  // The facet summary (summary_facets plus records not in it yet), else the facets' grouped pass
  // over their covering index (status, substatus, ..., domain): the same combinations.
  // No time bound, so the summary's combos carry the domain (no separate domain rows).
  const combos = (summaryFacetCombos(db, {})?.combos ??
    facetCombos(db, { sql: '1', params: [] }).combos) as Combo[];
  for (const [, substatus, , , , , d, n] of combos) {
    total += n;
    if (!d) continue;
    const low = d.toLowerCase();
    records.set(low, (records.get(low) ?? 0) + n);
    if (substatus === 'DELIVERED') delivered.set(low, (delivered.get(low) ?? 0) + n);
  }
  const local = [...delivered].filter(([, n]) => n >= MIN_TARGET_DELIVERED).map(([d]) => d);
  return {
    delivered,
    records,
    total,
    providers,
    targets: [...new Set([...providers.commonDomains, ...local])],
    isProviderTarget: new Set(providers.commonDomains),
    targetOf: new Map(),
  };
}

const split = splitAddress;

const localOf = (address: string): string => address.slice(0, address.lastIndexOf('@'));

const times = (n: number): string => `${n.toLocaleString('en')} ${n === 1 ? 'time' : 'times'}`;

/** The domain a mistyped `domain` most likely meant, or null (depends on the domain alone: memoised). */
function domainTarget(domain: string, ctx: Context): string | null {
  const known = ctx.targetOf.get(domain);
  if (known !== undefined) return known;
  let best: string | null = null;
  if ((ctx.delivered.get(domain) ?? 0) === 0 && ctx.providers.providerOf(domain) === null) {
    const rank = (t: string): number =>
      (ctx.isProviderTarget.has(t) ? 1e12 : 0) + (ctx.delivered.get(t) ?? 0);
    for (const t of ctx.targets)
      if (
        oneEditApart(domain, t) &&
        (best === null || rank(t) > rank(best) || (rank(t) === rank(best) && t < best))
      )
        best = t;
  }
  ctx.targetOf.set(domain, best);
  return best;
}

function domainHint(address: string, local: string, domain: string, ctx: Context): TypoHint | null {
  const best = domainTarget(domain, ctx);
  if (best === null) return null;
  const n = ctx.delivered.get(best) ?? 0;
  const why = ctx.isProviderTarget.has(best)
    ? `a common mailbox provider${n > 0 ? `, delivered ${times(n)} in this case` : ''}`
    : `delivered ${times(n)} in this case`;
  return {
    address,
    suggestion: `${local}@${best}`,
    kind: 'domain',
    reason: `Nothing was delivered to ${domain} in this case; it is one typing slip from ${best} (${why}).`,
  };
}

function localHint(address: string, suggestion: string, n: number): TypoHint {
  return {
    address,
    suggestion,
    kind: 'local',
    reason: `${address} never received a message in this case; ${suggestion}, one typing slip away at the same domain, was delivered to ${times(n)}.`,
  };
}

/** Best delivered candidate: most deliveries, then alphabetical (so every path picks the same). */
function better(a: [string, number] | null, b: [string, number]): [string, number] {
  return a === null || b[1] > a[1] || (b[1] === a[1] && b[0] < a[0]) ? b : a;
}

/** Hints for given addresses (drilldown, batch lookup); null where there is none. */
export function suggestTypos(
  db: Database,
  addresses: readonly string[],
  providers: ProviderIndex = PROVIDERS,
): (TypoHint | null)[] {
  const ctx = context(db, providers);
  // records_to is partial (grid-partial.ts): each predicate split at its bound.
  const isTo = splitPredicate(db, TO_INDEX, 'lower(message_to) = lower(?)');
  const deliveredTo = db.prepare(
    `SELECT count(*) FROM records WHERE ${isTo.sql} AND +substatus = 'DELIVERED'`,
  );
  const inTo = splitPredicate(db, TO_INDEX, 'lower(message_to) IN (SELECT value FROM json_each(?))');
  const nameInUse = nameChecker(db);
  const near = db.prepare(
    `SELECT lower(message_to), count(*) FROM records
     WHERE ${inTo.sql} AND +substatus = 'DELIVERED' GROUP BY 1`,
  );
  return addresses.map((raw) => {
    const address = normaliseAddress(raw).toLowerCase();
    const parts = split(address);
    if (!parts) return null;
    if ((deliveredTo.pluck().get(...isTo.bind(address)) as number) > 0) return null;
    const d = domainHint(address, parts.local, parts.domain, ctx);
    if (d) return d;
    if ((ctx.delivered.get(parts.domain) ?? 0) === 0 || parts.local.length < MIN_LOCAL) return null;
    const variants = slipVariants(parts.local).map((v) => `${v}@${parts.domain}`);
    let best: [string, number] | null = null;
    for (const [cand, n] of near.raw().all(...inTo.bind(JSON.stringify(variants))) as [string, number][]) {
      const c = split(cand);
      if (c && localSlip(parts.local, c.local)) best = better(best, [cand, n]);
    }
    return best && !nameInUse(slippedToken(parts.local, localOf(best[0])), address)
      ? localHint(address, best[0], best[1])
      : null;
  });
}

export interface TypoListOptions {
  readonly limit?: number;
  readonly providers?: ProviderIndex;
}

interface Pending {
  readonly address: string;
  readonly local: string;
  readonly domain: string;
  readonly count: number;
}

/**
 * Without complete address tables (an import's search-index phase still to run): every address at
 * the pending domains, read the cheapest way for their share of the records, probed against the
 * pending ones; the addresses one letter slip away at the same domain.
 */
function scanCandidates(db: Database, ctx: Context, pending: readonly Pending[]): Map<string, Set<string>> {
  const candidates = new Map<string, Set<string>>();
  const domains = [...new Set(pending.map((q) => q.domain))];
  const share = domains.reduce((n, d) => n + (ctx.records.get(d) ?? 0), 0) / Math.max(1, ctx.total);
  const waiting = new SlipIndex(pending.map((q) => q.address));
  for (const cand of addressesAt(db, domains, share)) {
    if (cand === null) continue;
    waiting.probe(cand, (e) => {
      const q = pending[e];
      if (q === undefined || q.address === cand) return;
      const c = split(cand);
      if (c && c.domain === q.domain && localSlip(q.local, c.local)) {
        const set = candidates.get(q.address) ?? new Set<string>();
        set.add(cand);
        candidates.set(q.address, set);
      }
    });
  }
  return candidates;
}

/**
 * The "likely typos" list: every hard-bounced or invalid recipient under the filter with a hint.
 * With address tables (address-table.ts) that hold the whole case: unfiltered, only the bounced
 * addresses that can get a hint are read (typo-bounced.ts), and the local-part candidates are the
 * stored pairs; else everything comes from the records. Both give the same list.
 */
export function listTypos(db: Database, filter: FilterModel, opts: TypoListOptions = {}): TyposReport {
  const limit = opts.limit ?? 500;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
    throw new EngineError('INVALID_ARGUMENT', 'limit must be between 1 and 100000', { path: 'limit' });
  const ctx = context(db, opts.providers ?? PROVIDERS);
  // With the tables, only addresses with a pair can get a local-part hint: the rest are not pending.
  const pairs = addressTablesComplete(db) ? typoPairs(db) : null;
  const corrected = (domain: string): boolean => domainTarget(domain, ctx) !== null;
  const bounced = bouncedUnder(db, filter, pairs && { corrected, paired: pairs.keys() });
  const deliveredTo = recordsDeliveredCounter(db);
  const nameInUse = nameChecker(db);
  const hints: TypoLine[] = [];
  const pending: Pending[] = [];
  bounced.addresses.forEach((address, i) => {
    const parts = address ? split(address) : null;
    if (!address || !parts) return;
    const d = domainHint(address, parts.local, parts.domain, ctx);
    if (d) {
      if (deliveredTo(address) === 0) hints.push({ ...d, count: bounced.count(i) });
      return;
    }
    if ((ctx.delivered.get(parts.domain) ?? 0) === 0 || parts.local.length < MIN_LOCAL) return;
    if (pairs === null || pairs.has(address))
      pending.push({ address, local: parts.local, domain: parts.domain, count: bounced.count(i) });
  });
  if (pending.length > 0) {
    const candidates: ReadonlyMap<string, Iterable<string>> = pairs ?? scanCandidates(db, ctx, pending);
    for (const q of pending) {
      const set = candidates.get(q.address);
      if (!set || deliveredTo(q.address) > 0) continue;
      let best: [string, number] | null = null;
      for (const cand of set) {
        const n = deliveredTo(cand);
        if (n > 0) best = better(best, [cand, n]);
      }
      if (best && !nameInUse(slippedToken(q.local, localOf(best[0])), q.address))
        hints.push({ ...localHint(q.address, best[0], best[1]), count: q.count });
    }
  }
  hints.sort((a, b) => b.count - a.count || a.address.localeCompare(b.address));
  return {
    hints: hints.slice(0, limit),
    checked: bounced.checked,
    truncated: hints.length > limit,
  };
}
