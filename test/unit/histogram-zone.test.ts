/**
 * Histogram buckets follow the display zone: day buckets start at the zone's midnight (23 and 25 hour
 * days across DST changes), hour buckets start on the zone's full hour (half past in UTC for India),
 * and every count equals a brute-force count of the records by their wall-clock day or hour, from the
 * hourly summary and from the records alike.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import type { FilterModel, Histogram } from '../../common/contract';
import { formatIsoInZone, wallClock } from '../../common/time-zone';
import { getHistogram } from '../../main/engine/query/histogram';
import { planBuckets } from '../../main/engine/query/histogram-zone';
import { summaryHistogram } from '../../main/engine/query/histogram-summary';
import { clearQueryCache } from '../../main/engine/query/paging';
import { invalidateSummary, summaryCoverage, updateSummary } from '../../main/engine/query/summary';
import { insertRecord, tempWorkspace } from './query-fixture';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC'] as const;
const SUBSTATUS = ['DELIVERED', 'BOUNCED', 'DROPPED', null] as const;
// Berlin leaves summer time on 2026-10-25 (01:00Z), New York on 2026-11-01 (06:00Z).
const FIRST = Date.UTC(2026, 9, 18, 3, 7);
const LAST = Date.UTC(2026, 10, 3, 20, 0);

const utcText = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** Records every 37 minutes, plus one either side of each zone's midnights and in the repeated hours. */
function fill(db: Database): number[] {
  const times: number[] = [];
  for (let t = FIRST; t <= LAST; t += 37 * 60_000) times.push(t);
  for (const zone of ZONES)
    for (let d = FIRST; d < LAST; d += DAY) {
      const w = wallClock(d, zone);
      const midnight = planBuckets(d, d, DAY, zone).starts[0] ?? d;
      assert.equal(formatIsoInZone(midnight, zone).slice(0, 10), formatIsoInZone(d, zone).slice(0, 10));
      if (midnight > FIRST) times.push(midnight - 1, midnight);
      if (w.day % 3 === 0) times.push(midnight + 12 * HOUR + 1);
    }
  times.push(Date.UTC(2026, 9, 25, 0, 30), Date.UTC(2026, 9, 25, 1, 30)); // Berlin's 02:30, twice
  times.push(Date.UTC(2026, 10, 1, 5, 30), Date.UTC(2026, 10, 1, 6, 30)); // New York's 01:30, twice
  times.forEach((t, i) =>
    insertRecord(db, {
      creation_time: utcText(t),
      substatus: SUBSTATUS[i % SUBSTATUS.length] ?? null,
      message_to: `r${i}@example.com`,
    }),
  );
  return times;
}

interface Tally {
  delivered: number;
  bounced: number;
  dropped: number;
  other: number;
}

const tally = (b: Tally): Tally => ({
  delivered: b.delivered,
  bounced: b.bounced,
  dropped: b.dropped,
  other: b.other,
});

/** Counts by a key computed from each record's time alone (no bucket arithmetic of the engine). */
function brute(db: Database, key: (t: number) => string): Map<string, Tally> {
  const rows = db
    .prepare('SELECT creation_time_ms AS t, substatus AS s FROM records WHERE creation_time_ms IS NOT NULL')
    .all() as { t: number; s: string | null }[];
  const out = new Map<string, Tally>();
  for (const { t, s } of rows) {
    const k = key(t);
    const o = out.get(k) ?? { delivered: 0, bounced: 0, dropped: 0, other: 0 };
    if (s === 'DELIVERED') o.delivered++;
    else if (s === 'BOUNCED') o.bounced++;
    else if (s === 'DROPPED') o.dropped++;
    else o.other++;
    out.set(k, o);
  }
  return out;
}

const dayOf = (zone: string) => (t: number) => formatIsoInZone(t, zone).slice(0, 10);
/** "2026-10-25 02+02:00": the repeated hour of a DST change is two hours. */
const hourOf = (zone: string) => (t: number) => {
  const s = formatIsoInZone(t, zone, { offset: true });
  return `${s.slice(0, 13)}${s.slice(19)}`;
};
const CHANGE_DAY: Record<string, string> = {
  'Europe/Berlin': '2026-10-25',
  'America/New_York': '2026-11-01',
};

/** Buckets by key: consecutive, non-empty where the brute force has records, equal to it everywhere. */
function assertMatches(db: Database, h: Histogram, key: (t: number) => string, label: string): void {
  const expected = brute(db, key);
  const seen = new Set<string>();
  h.buckets.forEach((b, i) => {
    const next = h.buckets[i + 1];
    if (next) assert.equal(b.end, next.start, `${label}: bucket ${i} ends where the next starts`);
    const k = key(b.start);
    assert.equal(key(b.end - 1), k, `${label}: bucket ${i} is one ${h.bucketMs >= DAY ? 'day' : 'hour'}`);
    seen.add(k);
    const counts = tally(b);
    assert.deepEqual(
      counts,
      expected.get(k) ?? { delivered: 0, bounced: 0, dropped: 0, other: 0 },
      `${label}: counts of ${k}`,
    );
  });
  for (const k of expected.keys()) assert.ok(seen.has(k), `${label}: ${k} has a bucket`);
  assert.equal(h.from, h.buckets[0]?.start, label);
  assert.equal(h.to, h.buckets.at(-1)?.end, label);
}

test('day buckets start at local midnight and hour buckets on the local hour, counts equal a brute force per zone', () => {
  const ws = tempWorkspace();
  try {
    fill(ws.db);
    updateSummary(ws.db);
    assert.ok(summaryCoverage(ws.db) > 0, 'the summary covers the records');
    const filters: [string, FilterModel][] = [
      ['summary', {}],
      ['records (free word)', { q: 'example' }],
    ];
    for (const zone of ZONES)
      for (const [path, filter] of filters) {
        clearQueryCache(ws.db);
        const days = getHistogram(ws.db, filter, 60, zone);
        const label = `${zone} ${path} days`;
        assert.equal(days.bucketMs, DAY, label);
        for (const b of days.buckets) {
          const w = wallClock(b.start, zone);
          assert.deepEqual([w.hour, w.minute, w.second, w.ms], [0, 0, 0, 0], `${label}: starts at midnight`);
        }
        assertMatches(ws.db, days, dayOf(zone), label);
        for (const b of days.buckets)
          assert.equal(
            (b.end - b.start) / HOUR,
            dayOf(zone)(b.start) === CHANGE_DAY[zone] ? 25 : 24,
            `${label}: hours of ${dayOf(zone)(b.start)}`,
          );

        const hours = getHistogram(ws.db, filter, 500, zone);
        assert.equal(hours.bucketMs, HOUR, `${zone} ${path} hours`);
        for (const b of hours.buckets) {
          assert.equal(wallClock(b.start, zone).minute, 0, `${zone} ${path}: hour starts on the hour`);
          assert.equal(b.end - b.start, HOUR);
        }
        assertMatches(ws.db, hours, hourOf(zone), `${zone} ${path} hours`);
      }
    // The summary answers day buckets for whole-hour zones; India's half-hour edges are read from records.
    const lo = FIRST;
    assert.equal(planBuckets(lo, LAST, DAY, 'Europe/Berlin').unitMs, HOUR);
    assert.equal(planBuckets(lo, LAST, DAY, 'America/New_York').unitMs, HOUR);
    assert.equal(planBuckets(lo, LAST, DAY, 'Asia/Kolkata').unitMs, HOUR / 2);
    const source = summaryHistogram(ws.db, {});
    assert.ok(source !== null);
    const berlin = planBuckets(lo, LAST, DAY, 'Europe/Berlin');
    assert.notEqual(source.counts(berlin.unitFrom, berlin.unitMs), null, 'Berlin days come from the summary');
    const india = planBuckets(lo, LAST, DAY, 'Asia/Kolkata');
    assert.equal(source.counts(india.unitFrom, india.unitMs), null, 'India days fall back to records');

    // Without a summary the same answers come from the records.
    invalidateSummary(ws.db);
    clearQueryCache(ws.db);
    for (const zone of ZONES)
      assertMatches(ws.db, getHistogram(ws.db, {}, 60, zone), dayOf(zone), `${zone} no summary`);
  } finally {
    ws.close();
  }
});

test('week buckets start on Monday at local midnight', () => {
  const ws = tempWorkspace();
  try {
    fill(ws.db);
    for (const zone of ZONES) {
      const h = getHistogram(ws.db, {}, 3, zone);
      assert.equal(h.bucketMs, 7 * DAY, zone);
      for (const b of h.buckets) {
        const w = wallClock(b.start, zone);
        assert.equal(new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay(), 1, `${zone}: a Monday`);
        assert.deepEqual([w.hour, w.minute], [0, 0], `${zone}: at midnight`);
      }
      const mondayOf = (t: number): string => {
        const w = wallClock(t, zone);
        const d = new Date(Date.UTC(w.year, w.month - 1, w.day));
        d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
        return d.toISOString().slice(0, 10);
      };
      const expected = brute(ws.db, mondayOf);
      for (const b of h.buckets) {
        const { start } = b;
        const counts = tally(b);
        assert.deepEqual(
          counts,
          expected.get(mondayOf(start)) ?? counts,
          `${zone} week of ${mondayOf(start)}`,
        );
        assert.ok(expected.has(mondayOf(start)), `${zone}: week ${mondayOf(start)} has records`);
      }
      assert.equal(
        h.buckets.reduce((s, b) => s + b.delivered + b.bounced + b.dropped + b.other, 0),
        [...expected.values()].reduce((s, o) => s + o.delivered + o.bounced + o.dropped + o.other, 0),
      );
    }
  } finally {
    ws.close();
  }
});
