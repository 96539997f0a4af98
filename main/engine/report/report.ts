/**
 * The case report: one self-contained HTML page answering the support question for the current
 * filter (totals, histogram, replies with next steps, domains, incidents, typo hints, the matching
 * records up to a limit). Memory and time stay bounded for any number of matches: every section is
 * a grouped query or capped, and the record list is read page by page up to `rows`.
 */
import type { Database } from 'better-sqlite3';
import { APP_NAME } from '../../../common/app';
import type { FilterModel, RecordRow } from '../../../common/contract';
import type { CaseReport, DomainLine, Incident } from '../../../common/insights';
import { EngineError } from '../errors';
import { getDomains } from '../insights/domains';
import { getIncidents } from '../insights/incidents';
import { topReplies } from '../insights/replies';
import { listTypos } from '../insights/typos';
import { insightsWhere } from '../insights/where';
import { replyGroups, timeSpan } from '../insights/domain-reads';
import { countRows, getHistogram, queryPage } from '../query';
import { escapeHtml, page, table } from './html';
import { describeFilter, isoMinute } from '../../../common/filter-words';
import { histogramSvg } from './svg';

export interface ReportOptions {
  readonly workspaceName: string;
  /** Matching records listed at most (the full count is always stated). */
  readonly rows?: number;
  readonly now?: Date;
}

export const DEFAULT_ROWS = 500;
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const num = (n: number): string => n.toLocaleString('en');

function flat(v: string | number | null | undefined): string {
  return typeof v === 'string'
    ? v.replace(/\s*[\r\n]+\s*/g, ' ')
    : v === null || v === undefined
      ? ''
      : String(v);
}

function readRows(db: Database, filter: FilterModel, limit: number): RecordRow[] {
  const rows: RecordRow[] = [];
  while (rows.length < limit) {
    const want = Math.min(1000, limit - rows.length);
    const p = queryPage(db, {
      filter,
      sort: [{ column: 'creation_time', dir: 'desc' }],
      startRow: rows.length,
      endRow: rows.length + want,
    });
    rows.push(...p.rows);
    if (p.rows.length < want) break;
  }
  return rows;
}

function domainRows(lines: readonly DomainLine[]): (string | number)[][] {
  return lines.map((l) => [
    l.provider ? `${l.label} (${l.domains.join(', ')})` : l.label,
    num(l.messages),
    num(l.delivered),
    num(l.hardBounces),
    num(l.softBounces),
    num(l.dropped),
    pct(l.bounceRate),
    l.topReplies[0] ? `${l.topReplies[0].code}: ${l.topReplies[0].summary}` : '',
  ]);
}

function incidentRows(list: readonly Incident[]): string[][] {
  return list.map((i) => [
    i.label,
    `${isoMinute(i.start)} – ${isoMinute(i.end)}`,
    `${num(i.bounced)} of ${num(i.messages)} (${pct(i.rate)})`,
    i.severity,
    i.dominantReply ? `${i.dominantReply.code}: ${i.dominantReply.summary}` : '',
    i.why,
  ]);
}

export function buildReport(db: Database, filter: FilterModel, opts: ReportOptions): CaseReport {
  const limit = opts.rows ?? DEFAULT_ROWS;
  if (!Number.isInteger(limit) || limit < 0 || limit > 10_000)
    throw new EngineError('INVALID_ARGUMENT', 'rows must be between 0 and 10000', { path: 'rows' });
  const now = opts.now ?? new Date();
  const matching = countRows(db, filter);
  const where = insightsWhere(db, filter);
  const span = timeSpan(db, filter, where);
  const domains = getDomains(db, filter, { limit: 25, replies: 1 });
  const totals = domains.lines.reduce(
    (t, l) => ({
      delivered: t.delivered + l.delivered,
      hard: t.hard + l.hardBounces,
      soft: t.soft + l.softBounces,
      dropped: t.dropped + l.dropped,
      other: t.other + l.other,
    }),
    { delivered: 0, hard: 0, soft: 0, dropped: 0, other: 0 },
  );
  const histogram = getHistogram(db, filter, 60);
  // Incidents are found against each provider's baseline over the whole case, then kept when they
  // overlap the filter's time span and concern a domain the filter selects.
  const selected = new Set(domains.lines.flatMap((l) => l.domains));
  const [lo, hi] = span;
  const incidents =
    lo === null || hi === null
      ? []
      : getIncidents(db, {}).incidents.filter(
          (i) => i.end > lo && i.start <= hi && i.domains.some((d) => selected.has(d)),
        );
  const replies = topReplies(replyGroups(db, filter, where), 8);
  const typos = listTypos(db, filter, { limit: 50 });
  const rows = readRows(db, filter, Math.min(limit, matching));

  const title = `${APP_NAME} — case report`;
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">Workspace <strong>${escapeHtml(opts.workspaceName)}</strong> · generated ${escapeHtml(isoMinute(now.getTime()))} by ${escapeHtml(APP_NAME)}</p>`,
    `<h2>Question</h2><p class="question">${escapeHtml(describeFilter(filter))}</p>`,
    `<p>${num(matching)} matching records${lo !== null && hi !== null ? `, created ${escapeHtml(isoMinute(lo))} to ${escapeHtml(isoMinute(hi))}` : ''}.</p>`,
    `<h2>Totals by outcome</h2><div class="totals">${[
      ['Delivered', totals.delivered],
      ['Hard bounces', totals.hard],
      ['Soft bounces', totals.soft],
      ['Dropped', totals.dropped],
      ['Other', totals.other],
    ]
      .map(([k, v]) => `<div><strong>${num(v as number)}</strong>${escapeHtml(k)}</div>`)
      .join('')}</div>`,
    `<h2>Over time</h2>${histogramSvg(histogram, incidents)}`,
    `<h2>Top SMTP replies of bounces, explained</h2>`,
    replies.length === 0
      ? '<p class="muted">No bounces among the matching records.</p>'
      : table(
          ['Reply', 'Records', 'Meaning', 'Next step'],
          replies.map((r) => [r.code, num(r.count), r.summary, r.nextStep]),
          [1],
        ),
    `<h2>Recipient domains</h2>`,
    table(
      ['Domain', 'Records', 'Delivered', 'Hard', 'Soft', 'Dropped', 'Bounce rate', 'Top bounce reply'],
      domainRows(domains.lines),
      [1, 2, 3, 4, 5, 6],
    ),
    domains.truncated
      ? `<p class="muted small">The 25 largest of ${num(domains.domainCount)} domains.</p>`
      : '',
    `<h2>Bounce incidents in this time range</h2>`,
    incidents.length === 0
      ? '<p class="muted">No incident: no provider or domain had an hour with a bounce rate far above its own median.</p>'
      : table(
          ['Provider / domain', 'When', 'Bounced', 'Severity', 'Dominant reply', 'Why this is flagged'],
          incidentRows(incidents),
        ),
    `<h2>Likely address typos</h2>`,
    typos.hints.length === 0
      ? `<p class="muted">No typo hint among ${num(typos.checked)} hard-bounced or invalid addresses.</p>`
      : table(
          ['Address', 'Records', 'Did they mean', 'Why'],
          typos.hints.map((t) => [t.address, num(t.count), t.suggestion, t.reason]),
          [1],
        ),
    `<h2>Matching records</h2>`,
    `<p>${rows.length < matching ? `The newest ${num(rows.length)} of ${num(matching)} matching records.` : `All ${num(matching)} matching records.`}</p>`,
    table(
      [
        'Creation Time',
        'Message To',
        'Status',
        'Substatus',
        'Status Details',
        'SMTP reply',
        'Correlation ID',
      ],
      rows.map((r) => [
        r.creation_time,
        r.message_to,
        r.status,
        r.substatus,
        r.status_details,
        flat(r.smtp_status_code),
        r.correlation_id,
      ]),
    ),
  ].join('\n');
  return { html: page(title, body), matching, listed: rows.length };
}
