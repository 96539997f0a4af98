/**
 * The per-hour tally of the mirror's pass (facts-hours.ts): hourOf is Math.floor(t / 1 h) at and
 * around every hour's edge, and the tally's units equal each time counted into its unit the way the
 * SQL path and bucketRows group it (`Math.trunc((t - unitFrom) / unitMs)`), for times spread over
 * years (the dense window grown both ways, outliers counted apart), or null where they would differ.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { hourOf, HourTally } from '../../main/engine/query/facts-hours';
import type { BucketCounts } from '../../main/engine/query/histogram-summary';

const HOUR = 3_600_000;

test('hourOf is the floor of the time in hours, at hour edges too', () => {
  const edge = fc
    .tuple(fc.integer({ min: -3_000_000, max: 3_000_000 }), fc.integer({ min: -2, max: 2 }))
    .map(([h, d]) => h * HOUR + d);
  const any = fc.integer({ min: -(2 ** 50), max: 2 ** 50 });
  fc.assert(
    fc.property(fc.oneof(edge, any), (t) => {
      assert.equal(hourOf(t), Math.floor(t / HOUR), `t = ${t}`);
    }),
    { numRuns: 20_000 },
  );
});

function byUnit(times: readonly [number, number][], unitFrom: number, unitMs: number): BucketCounts[] {
  const out = new Map<number, number[]>();
  for (const [t, o] of times) {
    const b = Math.trunc((t - unitFrom) / unitMs);
    const c = out.get(b) ?? [0, 0, 0, 0];
    c[o]++;
    out.set(b, c);
  }
  return [...out].map(([b, c]) => ({
    b,
    delivered: c[1],
    bounced: c[2],
    dropped: c[3],
    n: c[0] + c[1] + c[2] + c[3],
  }));
}

const sorted = (rows: readonly BucketCounts[] | null): BucketCounts[] | null =>
  rows === null ? null : [...rows].sort((a, b) => (a.b ?? 0) - (b.b ?? 0));

test('the tally per hour gives the same units as counting each time', () => {
  const start = Date.UTC(2026, 9, 1);
  // Mostly a month, some years away on either side (grown window, then the outliers' Map).
  const time = fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: start, max: start + 31 * 24 * HOUR }) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: start - 40 * 365 * 24 * HOUR, max: start + 40 * 365 * 24 * HOUR }),
    },
  );
  fc.assert(
    fc.property(
      fc.array(fc.tuple(time, fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 400 }),
      fc.constantFrom(HOUR, 2 * HOUR, 24 * HOUR, 7 * 24 * HOUR, 30 * 60_000),
      fc.integer({ min: -3, max: 30 }),
      (times, unitMs, back) => {
        const tally = new HourTally();
        for (const [t, o] of times) tally.add(hourOf(t), o);
        const first = Math.min(...times.map(([t]) => t));
        const unitFrom = (hourOf(first) - back) * HOUR;
        const got = tally.units(unitFrom, unitMs);
        if (unitMs % HOUR !== 0 || back < 0) assert.equal(got, null);
        else assert.deepEqual(sorted(got), sorted(byUnit(times, unitFrom, unitMs)));
      },
    ),
    { numRuns: 400 },
  );
});
