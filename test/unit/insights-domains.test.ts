import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FilterModel } from '../../common/contract';
import { getDomains } from '../../main/engine/insights/domains';
import { PROVIDERS } from '../../main/engine/insights/providers';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { generateCase, HOUR, insertCase, type CaseRow } from './insights-fixture';
import { tempWorkspace, type Workspace } from './query-fixture';

const START = Date.UTC(2026, 9, 1, 5);
let ws: Workspace;
let rows: CaseRow[];

before(() => {
  ws = tempWorkspace();
  rows = generateCase({
    seed: 5,
    startMs: START,
    hours: 80,
    domains: [
      { domain: 'gmail.com', perHour: 12, bounceRate: 0.05 },
      { domain: 'googlemail.com', perHour: 3, bounceRate: 0.1 },
      { domain: 'Kunde.DE', perHour: 4, bounceRate: 0.3 },
      { domain: 'kunde.de', perHour: 4, bounceRate: 0.3 },
      { domain: 'hotmail.co.uk', perHour: 2, bounceRate: 0.2 },
      { domain: 'outlook.com', perHour: 5, bounceRate: 0.02 },
      { domain: 'firma.ch', perHour: 2, bounceRate: 0 },
    ],
  });
  insertCase(ws.db, rows);
  updateSearchIndex(ws.db);
});
after(() => ws.close());

interface Brute {
  messages: number;
  delivered: number;
  hard: number;
  soft: number;
  dropped: number;
  days: Map<number, [number, number]>;
}

/** Counts per lower-cased domain, straight from the generated rows. */
function brute(keep: (r: CaseRow) => boolean): Map<string, Brute> {
  const out = new Map<string, Brute>();
  for (const r of rows.filter(keep)) {
    const d = r.domain.toLowerCase();
    const b = out.get(d) ?? {
      messages: 0,
      delivered: 0,
      hard: 0,
      soft: 0,
      dropped: 0,
      days: new Map<number, [number, number]>(),
    };
    b.messages++;
    if (r.substatus === 'DELIVERED') b.delivered++;
    else if (r.details === 'HARD_BOUNCE') b.hard++;
    else if (r.details === 'SOFT_BOUNCE') b.soft++;
    else if (r.substatus === 'DROPPED') b.dropped++;
    const day = Math.floor(r.t / 86_400_000) * 86_400_000;
    const cur = b.days.get(day) ?? [0, 0];
    b.days.set(day, [cur[0] + 1, cur[1] + (r.substatus === 'BOUNCED' ? 1 : 0)]);
    out.set(d, b);
  }
  return out;
}

function check(filter: FilterModel, keep: (r: CaseRow) => boolean): void {
  const report = getDomains(ws.db, filter);
  const expected = brute(keep);
  const seen = new Set<string>();
  for (const line of report.lines) {
    const members = line.members.length > 0 ? line.members : [line];
    for (const m of members) {
      const [domain] = m.domains;
      assert.ok(domain !== undefined);
      const b = expected.get(domain);
      assert.ok(b, `unexpected domain ${domain}`);
      seen.add(domain);
      assert.deepEqual(
        [m.messages, m.delivered, m.hardBounces, m.softBounces, m.dropped],
        [b.messages, b.delivered, b.hard, b.soft, b.dropped],
        domain,
      );
      assert.equal(m.bounceRate, (b.hard + b.soft) / b.messages);
      assert.deepEqual(
        m.trend,
        report.days.map((d) => b.days.get(d)?.[0] ?? 0),
        `${domain} trend`,
      );
      assert.deepEqual(
        m.trendBounced,
        report.days.map((d) => b.days.get(d)?.[1] ?? 0),
      );
    }
    // A group line is the sum of its members.
    if (line.members.length > 0)
      assert.equal(
        line.messages,
        line.members.reduce((s, m) => s + m.messages, 0),
      );
  }
  assert.deepEqual([...seen].sort(), [...expected.keys()].sort());
  assert.equal(report.domainCount, expected.size);
}

test('domain counts and per-day trends equal a brute-force count, unfiltered', () => {
  check({}, () => true);
});

test('domain counts under a search and a time window equal a brute-force count', () => {
  check({ q: 'status:ERROR' }, (r) => r.status === 'ERROR');
  const from = START + 20 * HOUR;
  const to = START + 50 * HOUR;
  check({ timeFrom: from, timeTo: to }, (r) => r.t >= from && r.t < to);
  check({ q: 'domain:kunde.de' }, (r) => r.domain.toLowerCase() === 'kunde.de');
});

test('provider domains group into one line that lists its domains; mixed case is one domain', () => {
  const report = getDomains(ws.db, {});
  const google = report.lines.find((l) => l.key === 'provider:google');
  assert.ok(google);
  assert.deepEqual([...google.domains].sort(), ['gmail.com', 'googlemail.com']);
  assert.equal(google.members.length, 2);
  const ms = report.lines.find((l) => l.key === 'provider:microsoft');
  assert.deepEqual([...(ms?.domains ?? [])].sort(), ['hotmail.co.uk', 'outlook.com']);
  assert.equal(report.lines.filter((l) => l.key === 'kunde.de').length, 1);
  assert.equal(report.lines.find((l) => l.key === 'firma.ch')?.provider, null);
  // Sorted by records, largest first.
  const sizes = report.lines.map((l) => l.messages);
  assert.deepEqual(
    sizes,
    [...sizes].sort((a, b) => b - a),
  );
});

test('top replies are grouped by code, explained, and show no recipient address', () => {
  const kunde = getDomains(ws.db, {}).lines.find((l) => l.key === 'kunde.de');
  const top = kunde?.topReplies[0];
  assert.ok(top);
  assert.equal(top.code, '550 5.1.1');
  assert.equal(top.verdict, 'hard');
  assert.match(top.summary, /does not exist/);
  assert.doesNotMatch(top.sample, /@/);
  assert.match(top.sample, /<address>/);
});

test('provider data: wildcard TLDs match listed top-level domains only', () => {
  assert.equal(PROVIDERS.providerOf('hotmail.de')?.id, 'microsoft');
  assert.equal(PROVIDERS.providerOf('yahoo.co.uk')?.id, 'yahoo');
  assert.equal(PROVIDERS.providerOf('gmx.dee'), null);
  assert.equal(PROVIDERS.providerOf('mail.kunde.de'), null);
  assert.equal(PROVIDERS.providerOf('me.com')?.id, 'apple');
});

test('a limit keeps the largest lines and says it cut', () => {
  const r = getDomains(ws.db, {}, { limit: 2 });
  assert.equal(r.lines.length, 2);
  assert.equal(r.truncated, true);
  assert.equal(r.lines[0]?.key, 'provider:google');
});
