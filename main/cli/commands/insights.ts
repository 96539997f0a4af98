/**
 * `domains`, `incidents`, `typos`: the insights from a terminal, over the same engine calls as the
 * app's views (main/engine/insights).
 *
 * --json shapes (one JSON document on stdout):
 *   domains    DomainsReport: {"days": [ms], "lines": [{"key", "label", "provider", "domains": [..],
 *              "messages", "delivered", "hardBounces", "softBounces", "dropped", "other", "bounceRate",
 *              "trend": [n per day], "trendBounced": [..], "topReplies": [ReplySummary], "members": [..]}],
 *              "domainCount", "truncated"}
 *   incidents  IncidentsReport: {"bucketMs", "method", "incidents": [{"key", "label", "domains", "start",
 *              "end", "messages", "bounced", "rate", "peakRate", "baselineRate", "spread", "score",
 *              "severity", "dominantReply", "why"}], "unitsChecked"}
 *   typos      TyposReport: {"hints": [{"address", "suggestion", "kind", "reason", "count"}], "checked", "truncated"}
 * Exit codes as the query commands: 0 ok, 2 usage or search syntax, 1 other failures.
 */
import { getDomains } from '../../engine/insights/domains';
import { getIncidents } from '../../engine/insights/incidents';
import { listTypos } from '../../engine/insights/typos';
import { isoMinute } from '../../../common/filter-words';
import { checkKnown, flag, intOption, type ParsedArgs } from '../args';
import type { CliIo } from '../index';
import { filterOf, withDb, writeJson } from './query';
import { formatTable } from './query-table';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** A per-day trend as a one-line sparkline. */
export function sparkline(values: readonly number[]): string {
  const bars = '▁▂▃▄▅▆▇█';
  const max = Math.max(1, ...values);
  return values.map((v) => (v === 0 ? ' ' : bars[Math.min(7, Math.floor((v / max) * 7.999))])).join('');
}

export function domainsCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'q', 'limit', 'json']);
  const limit = intOption(args, 'limit', 50, 1, 10_000);
  const filter = filterOf(args);
  return Promise.resolve(
    withDb(args, (db) => {
      const r = getDomains(db, filter, { limit });
      if (flag(args, 'json')) writeJson(io, r);
      else {
        const rows = r.lines.flatMap((l) => [
          [
            l.label,
            l.messages,
            l.delivered,
            l.hardBounces,
            l.softBounces,
            l.dropped,
            pct(l.bounceRate),
            sparkline(l.trend),
            l.topReplies[0] ? `${l.topReplies[0].code} ${l.topReplies[0].summary}` : '',
          ],
          ...(l.members.length > 1
            ? l.members.map((m) => [
                `  ${m.label}`,
                m.messages,
                m.delivered,
                m.hardBounces,
                m.softBounces,
                m.dropped,
                pct(m.bounceRate),
                sparkline(m.trend),
                '',
              ])
            : []),
        ]);
        io.stdout.write(
          `${formatTable(['Domain', 'Records', 'Delivered', 'Hard', 'Soft', 'Dropped', 'Bounce rate', 'Per day', 'Top bounce reply'], rows)}\n` +
            `${r.lines.length} of ${r.domainCount} domains${r.truncated ? ' (largest first; --limit for more)' : ''}\n`,
        );
      }
      return 0;
    }),
  );
}

export function incidentsCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'q', 'json']);
  const filter = filterOf(args);
  return Promise.resolve(
    withDb(args, (db) => {
      const r = getIncidents(db, filter);
      if (flag(args, 'json')) writeJson(io, r);
      else if (r.incidents.length === 0)
        io.stdout.write(
          `No bounce incidents (${r.unitsChecked} providers/domains with enough volume checked).\nMethod: ${r.method}\n`,
        );
      else {
        io.stdout.write(
          `${formatTable(
            ['Provider / domain', 'Start', 'End', 'Bounced', 'Rate', 'Median', 'Severity', 'Dominant reply'],
            r.incidents.map((i) => [
              i.label,
              isoMinute(i.start),
              isoMinute(i.end),
              `${i.bounced} of ${i.messages}`,
              pct(i.rate),
              pct(i.baselineRate),
              i.severity,
              i.dominantReply ? `${i.dominantReply.code} ${i.dominantReply.summary}` : '',
            ]),
          )}\n\nWhy:\n${r.incidents.map((i) => `- ${i.why}`).join('\n')}\n\nMethod: ${r.method}\n`,
        );
      }
      return 0;
    }),
  );
}

export function typosCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'q', 'limit', 'json']);
  const limit = intOption(args, 'limit', 100, 1, 100_000);
  const filter = filterOf(args);
  return Promise.resolve(
    withDb(args, (db) => {
      const r = listTypos(db, filter, { limit });
      if (flag(args, 'json')) writeJson(io, r);
      else
        io.stdout.write(
          `${formatTable(
            ['Address', 'Records', 'Did they mean', 'Kind'],
            r.hints.map((h) => [h.address, h.count, h.suggestion, h.kind]),
          )}\n${r.hints.length} likely typos among ${r.checked} hard-bounced or invalid addresses${r.truncated ? ' (--limit for more)' : ''}\n`,
        );
      return 0;
    }),
  );
}
