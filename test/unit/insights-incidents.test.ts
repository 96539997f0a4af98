import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getIncidents } from '../../main/engine/insights/incidents';
import { generateCase, HOUR, insertCase, type CaseSpec, type PlantedIncident } from './insights-fixture';
import { tempWorkspace } from './query-fixture';

const START = Date.UTC(2026, 9, 3, 0);
const DOMAINS: CaseSpec['domains'] = [
  { domain: 'gmail.com', perHour: 60, bounceRate: 0.04 },
  { domain: 'googlemail.com', perHour: 10, bounceRate: 0.04 },
  { domain: 'web.de', perHour: 40, bounceRate: 0.08 },
  { domain: 'gmx.de', perHour: 30, bounceRate: 0.06 },
  { domain: 'kunde.de', perHour: 25, bounceRate: 0.15 },
  { domain: 'tiny.example', perHour: 2, bounceRate: 0.5 },
];

function run(seed: number, incidents: readonly PlantedIncident[]): ReturnType<typeof getIncidents> {
  const ws = tempWorkspace();
  try {
    insertCase(ws.db, generateCase({ seed, startMs: START, hours: 96, domains: DOMAINS, incidents }));
    return getIncidents(ws.db, {});
  } finally {
    ws.close();
  }
}

test('planted incidents are found, each with start and end within one hour of the planted window', () => {
  const planted: PlantedIncident[] = [
    {
      domain: 'web.de',
      fromHour: 30,
      hours: 4,
      bounceRate: 0.7,
      reply: '421 4.7.0 Try again later, closing connection.',
    },
    {
      domain: 'gmail.com',
      fromHour: 70,
      hours: 2,
      bounceRate: 0.5,
      reply: '550 5.7.1 blocked using zen.spamhaus.org',
    },
    { domain: 'kunde.de', fromHour: 10, hours: 6, bounceRate: 0.6, reply: '550 5.1.1 user unknown' },
  ];
  for (const seed of [1, 2, 3]) {
    const r = run(seed, planted);
    for (const p of planted) {
      const start = START + p.fromHour * HOUR;
      const end = start + p.hours * HOUR;
      const hit = r.incidents.find((i) => i.domains.includes(p.domain) && i.end > start && i.start < end);
      assert.ok(hit, `seed ${seed}: incident at ${p.domain} not found`);
      assert.ok(
        Math.abs(hit.start - start) <= HOUR,
        `seed ${seed} ${p.domain}: start off by more than an hour`,
      );
      assert.ok(Math.abs(hit.end - end) <= HOUR, `seed ${seed} ${p.domain}: end off by more than an hour`);
      assert.ok(hit.peakRate > hit.baselineRate + 0.1);
      assert.match(hit.why, /median/);
      assert.ok(hit.dominantReply);
    }
    // Nothing else: every incident is one of the planted ones.
    assert.equal(
      r.incidents.length,
      planted.length,
      `seed ${seed}: ${r.incidents.map((i) => i.why).join(' | ')}`,
    );
  }
});

test('the provider is the unit: an outage of gmail.com is reported for Google with both domains', () => {
  const r = run(4, [
    { domain: 'gmail.com', fromHour: 40, hours: 3, bounceRate: 0.8, reply: '421 4.7.28 rate limited' },
  ]);
  assert.equal(r.incidents.length, 1);
  assert.equal(r.incidents[0]?.key, 'provider:google');
  assert.deepEqual(r.incidents[0]?.domains, ['gmail.com', 'googlemail.com']);
  assert.equal(r.incidents[0]?.dominantReply?.verdict, 'soft');
  assert.equal(r.incidents[0]?.severity, 'high');
});

test('cases without incidents flag none, whatever each domain’s own bounce rate', () => {
  for (const seed of [11, 12, 13, 14, 15]) {
    const r = run(seed, []);
    assert.deepEqual(r.incidents, [], `seed ${seed}: ${r.incidents.map((i) => i.why).join(' | ')}`);
    // Domains with too little volume have no baseline and are not judged.
    assert.equal(r.unitsChecked, 4);
  }
});
