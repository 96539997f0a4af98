/**
 * Bounce incidents: hours in which a provider's (or a domain's) bounce rate rises far above its own
 * baseline in the case. The statistic, stated in METHOD and the README:
 * - unit: a mailbox provider from providers.json (its domains together), else the recipient domain;
 * - per unit and clock hour (UTC): records n and bounced b (Substatus BOUNCED), rate r = b / n;
 * - baseline: the median m of r over the unit's hours with n >= MIN_VOLUME, spread
 *   s = max(1.4826 x MAD, sqrt(m(1 - m) / n)) (the second term is the binomial noise of that hour);
 * - an hour is flagged when n >= MIN_VOLUME, b >= MIN_BOUNCED, r >= m + Z x s and r >= m + MIN_EXCESS;
 * - flagged hours of a unit that touch (or have one quiet hour between them) form one incident.
 * Median and MAD are used because an incident itself must not raise its own baseline: up to half of
 * the hours can be bad without moving them.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../../common/contract';
import type { Incident, IncidentsReport, Severity } from '../../../common/insights';
import { PROVIDERS, type ProviderIndex } from './providers';
import { summariseReply, type ReplyGroup } from './replies';
import { median, scaledMad } from './stats';
import type { SqlPart } from '../query/filter';
import { HOUR_ROWS, rollupSource } from './rollup';
import { domainKey, HOUR_MS, insightsWhere, matchingRows } from './where';
import { DOMAIN_INDEX, splitPredicate } from '../query/grid-partial';

export const MIN_VOLUME = 20;
export const MIN_BOUNCED = 10;
export const Z = 5;
export const MIN_EXCESS = 0.1;
/** Hours with volume a unit needs before it has a baseline at all. */
export const MIN_BASELINE_HOURS = 6;

export const METHOD =
  `Per mailbox provider (or recipient domain) and clock hour: bounce rate = bounced / records. ` +
  `Baseline = the median hourly rate over the case (hours with at least ${MIN_VOLUME} records, at least ` +
  `${MIN_BASELINE_HOURS} such hours), spread = 1.4826 x median absolute deviation, at least the hour's ` +
  `binomial noise. An hour is flagged when it has at least ${MIN_VOLUME} records and ${MIN_BOUNCED} bounces, ` +
  `and its rate is at least ${Z} spreads and ${Math.round(MIN_EXCESS * 100)} percentage points above the median. ` +
  `Adjacent flagged hours (one quiet hour may lie between) form one incident.`;

interface Hour {
  readonly h: number;
  readonly n: number;
  readonly b: number;
}

interface Unit {
  readonly key: string;
  readonly label: string;
  readonly domains: Set<string>;
  readonly hours: Map<number, { n: number; b: number }>;
}

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`;

function severity(excess: number, peakRate: number): Severity {
  if (excess >= 100 || peakRate >= 0.5) return 'high';
  if (excess >= 25 || peakRate >= 0.25) return 'medium';
  return 'low';
}

export interface IncidentOptions {
  readonly providers?: ProviderIndex;
}

/** The UTC clock hour (rounded down, also before 1970) of a time in ms. */
const HOUR_OF = `(creation_time_ms / ${HOUR_MS} - (creation_time_ms % ${HOUR_MS} < 0))`;
const BOUNCED = "count(CASE substatus WHEN 'BOUNCED' THEN 1 END)";

/** Records and bounces per domain (as stored) and hour: from the rollup when it can answer. */
function hourRows(
  db: Database,
  filter: FilterModel,
  where: SqlPart,
): [string | null, number, number, number][] {
  const roll = rollupSource(db, filter, true);
  const src = matchingRows(where, 'message_to_domain, creation_time_ms, substatus');
  const sql =
    roll === null
      ? `${src.prefix}SELECT message_to_domain, ${HOUR_OF}, count(*), ${BOUNCED} FROM ${src.source}
         WHERE creation_time_ms IS NOT NULL GROUP BY 1, 2`
      : `SELECT message_to_domain, ${HOUR_OF}, sum(n), ifnull(sum(n) FILTER (WHERE substatus = 'BOUNCED'), 0)
         FROM (SELECT message_to_domain, creation_time_ms, substatus, n FROM ${HOUR_ROWS} WHERE ${roll.where.sql}
           UNION ALL
           SELECT message_to_domain, creation_time_ms, substatus, 1 FROM records NOT INDEXED WHERE ${roll.pending.sql})
         WHERE creation_time_ms IS NOT NULL GROUP BY 1, 2`;
  return db
    .prepare(sql)
    .raw()
    .all(...(roll === null ? where.params : [...roll.where.params, ...roll.pending.params])) as [
    string | null,
    number,
    number,
    number,
  ][];
}

export function getIncidents(db: Database, filter: FilterModel, opts: IncidentOptions = {}): IncidentsReport {
  const providers = opts.providers ?? PROVIDERS;
  const where = insightsWhere(db, filter);
  const rows = hourRows(db, filter, where);
  const units = new Map<string, Unit>();
  for (const [d, h, n, b] of rows) {
    const domain = domainKey(d);
    const p = domain === '(none)' ? null : providers.providerOf(domain);
    const key = p ? `provider:${p.id}` : domain;
    let u = units.get(key);
    if (!u) units.set(key, (u = { key, label: p ? p.name : domain, domains: new Set(), hours: new Map() }));
    u.domains.add(domain);
    const cur = u.hours.get(h) ?? { n: 0, b: 0 };
    u.hours.set(h, { n: cur.n + n, b: cur.b + b });
  }

  const incidents: Incident[] = [];
  let unitsChecked = 0;
  for (const u of units.values()) {
    const hours: Hour[] = [...u.hours].map(([h, v]) => ({ h, ...v })).sort((a, b) => a.h - b.h);
    const busy = hours.filter((x) => x.n >= MIN_VOLUME);
    if (busy.length < MIN_BASELINE_HOURS) continue;
    unitsChecked++;
    const rates = busy.map((x) => x.b / x.n);
    const m = median(rates);
    const mad = scaledMad(rates, m);
    const spreadOf = (n: number): number => Math.max(mad, Math.sqrt((m * (1 - m)) / n), 1e-9);
    const flagged = busy.filter((x) => {
      const r = x.b / x.n;
      return x.b >= MIN_BOUNCED && r >= m + Z * spreadOf(x.n) && r >= m + MIN_EXCESS;
    });
    let run: Hour[] = [];
    const close = (): void => {
      if (run.length > 0) incidents.push(toIncident(db, where, u, run, hours, m, spreadOf));
      run = [];
    };
    for (const x of flagged) {
      const last = run[run.length - 1];
      if (last && x.h - last.h > 2) close();
      run.push(x);
    }
    close();
  }
  incidents.sort((a, b) => a.start - b.start || a.label.localeCompare(b.label));
  return { bucketMs: HOUR_MS, method: METHOD, incidents, unitsChecked };
}

function toIncident(
  db: Database,
  where: { sql: string; params: readonly (string | number)[] },
  u: Unit,
  run: readonly Hour[],
  hours: readonly Hour[],
  m: number,
  spreadOf: (n: number) => number,
): Incident {
  const first = run[0];
  const last = run[run.length - 1];
  // The window counts every hour from first to last, including a quiet hour between flagged ones.
  const inside = hours.filter((x) => x.h >= first.h && x.h <= last.h);
  const messages = inside.reduce((s, x) => s + x.n, 0);
  const bounced = inside.reduce((s, x) => s + x.b, 0);
  const peak = run.reduce((p, x) => (x.b / x.n > p.b / p.n ? x : p), first);
  const peakRate = peak.b / peak.n;
  const spread = spreadOf(peak.n);
  const start = first.h * HOUR_MS;
  const end = (last.h + 1) * HOUR_MS;
  const domains = [...u.domains].sort();
  // records_to_domain is partial (grid-partial.ts): the domain predicate split at its bound.
  const inDomains = splitPredicate(
    db,
    DOMAIN_INDEX,
    'lower(message_to_domain) IN (SELECT value FROM json_each(?))',
  );
  const groups = db
    .prepare(
      `SELECT smtp_code, smtp_enhanced, count(*), min(smtp_status_code) FROM records
       WHERE creation_time_ms >= ? AND creation_time_ms < ? AND substatus = 'BOUNCED'
         AND ${inDomains.sql} AND (${where.sql})
       GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1`,
    )
    .raw()
    .all(start, end, ...inDomains.bind(JSON.stringify(domains)), ...where.params) as ReplyGroup[];
  const dominant = groups[0] ? summariseReply(groups[0]) : null;
  const score = (peakRate - m) / spread;
  const excess = bounced - m * messages;
  const hoursText = run.length === 1 ? '1 flagged hour' : `${run.length} flagged hours`;
  const why =
    `${u.label}: ${pct(peakRate)} of ${peak.n} records bounced in the worst hour ` +
    `(${pct(bounced / messages)} over the ${hoursText}), against a median of ${pct(m)} per hour in this case ` +
    `(spread ${pct(spread)}): ${score.toFixed(1)} spreads and ${Math.round((peakRate - m) * 100)} points above it. ` +
    `About ${Math.max(0, Math.round(excess))} more bounces than usual.`;
  return {
    key: u.key,
    label: u.label,
    domains,
    start,
    end,
    messages,
    bounced,
    rate: bounced / messages,
    peakRate,
    baselineRate: m,
    spread,
    score,
    severity: severity(excess, peakRate),
    dominantReply: dominant,
    why,
  };
}
