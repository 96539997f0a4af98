/**
 * Anchors of unfiltered pages by time from the hourly summary (time-anchors.ts) equal the row a
 * brute-force ORDER BY creation_time_ms, id gives at that position, both directions: at hour edges,
 * with records without a time (declined: the index skip answers), tied times, times before 1970,
 * records above the summary's coverage, a time stored as REAL or TEXT (declined or still exact), after
 * an import was removed (summary emptied: declined) and summarised again; pages read from them by the
 * keyset pager equal brute-force pages.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import type { SortDir } from '../../common/contract';
import { removeImport } from '../../main/engine/import/remove';
import { ANCHOR_EVERY, Pager, type Anchor } from '../../main/engine/query/keyset-pager';
import { clearQueryCache, queryPage } from '../../main/engine/query/paging';
import { resolveSort } from '../../main/engine/query/sql';
import { summaryCoverage, updateSummary } from '../../main/engine/query/summary';
import { placeTimeAnchor, timeAnchor, timeAnchorsServed } from '../../main/engine/query/time-anchors';
import { importFiles, workspace } from './import-fixture';
import { insertRecord, tempWorkspace } from './query-fixture';
import { writeCaseExports } from './summary-brute';

type Brute = [number | null, number][];

function brute(db: Database, dir: SortDir): Brute {
  const d = dir === 'asc' ? 'ASC' : 'DESC';
  return db
    .prepare(`SELECT creation_time_ms, id FROM records NOT INDEXED ORDER BY creation_time_ms ${d}, id ${d}`)
    .raw()
    .all() as Brute;
}

const keysOf = (dir: SortDir): ReturnType<typeof resolveSort> =>
  resolveSort([{ column: 'creation_time', dir }]);

/** The anchor brute force gives for row `row`, or null where it has no time (the pager's own segment). */
function bruteAnchor(all: Brute, dir: SortDir, row: number): Anchor | null {
  const hit = all[row];
  if (hit === undefined || hit[0] === null) return null;
  return { seg: dir === 'desc' ? 0 : 1, k: hit[0], id: hit[1] };
}

/** Rows at and around changes of hour in the brute order (up to `edges` of them), and a few more. */
function rowsToCheck(all: Brute, edges = Infinity): number[] {
  const out = new Set([0, 1, all.length - 1, all.length, Math.floor(all.length / 2)]);
  const hourOf = (t: number | null): number | null => (t === null ? null : Math.floor(t / 3_600_000));
  const changes: number[] = [];
  for (let i = 1; i < all.length; i++) if (hourOf(all[i][0]) !== hourOf(all[i - 1][0])) changes.push(i);
  // Spread over the whole order: the first, the last, and evenly between (the walk's cost grows with the row).
  const step = Math.max(1, Math.ceil(changes.length / edges));
  changes.forEach((i, k) => {
    if (k % step === 0 || k === changes.length - 1) for (const r of [i - 1, i, i + 1]) out.add(r);
  });
  return [...out].filter((r) => r >= 0);
}

/** Every checked row's anchor equals brute force or is declined; returns how many were answered. */
function checkAnchors(db: Database, label: string, mayDecline: boolean): number {
  let answered = 0;
  for (const dir of ['asc', 'desc'] as const) {
    const all = brute(db, dir);
    for (const row of rowsToCheck(all, 40)) {
      const got = timeAnchor(db, {}, keysOf(dir), row);
      const want = bruteAnchor(all, dir, row);
      if (got !== null) answered++;
      if (got === null && (mayDecline || want === null)) continue;
      assert.deepEqual(got, want, `${label}: ${dir} row ${row}`);
    }
  }
  return answered;
}

/** Pages from summary anchors through the keyset pager, and through queryPage, equal brute force. */
function checkPages(db: Database, label: string): void {
  for (const dir of ['asc', 'desc'] as const) {
    const all = brute(db, dir);
    const keys = keysOf(dir);
    for (let j = 1; j * ANCHOR_EVERY < all.length; j++) {
      const anchors = new Map<number, Anchor | null>([[0, 'start']]);
      placeTimeAnchor(db, {}, keys, anchors, j, 0);
      const pager = new Pager(db, { sql: '1', params: [] }, keys);
      const start = j * ANCHOR_EVERY + 7;
      const anchor = pager.anchor(anchors, j);
      const rows = anchor === null ? [] : pager.fetch(anchor, 7, 100).map((f) => f.row.id);
      const want = all.slice(start, start + 100).map((r) => r[1]);
      assert.deepEqual(rows, want, `${label}: ${dir} pager from block ${j}`);
      clearQueryCache(db);
      const page = queryPage(db, {
        filter: {},
        sort: [{ column: 'creation_time', dir }],
        startRow: start,
        endRow: start + 100,
      });
      assert.deepEqual(
        page.rows.map((r) => r.id),
        want,
        `${label}: ${dir} queryPage at ${start}`,
      );
    }
  }
}

test('time anchors from the summary equal brute force: hour edges, NULL, ties, before 1970, pending, REAL/TEXT times, removal', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 21);
    await importFiles(w.db, [a]);
    await importFiles(w.db, [b]);
    assert.ok(summaryCoverage(w.db) > 0, 'the import summarised the records');
    const before = timeAnchorsServed();
    assert.ok(checkAnchors(w.db, 'imported', false) > 100, 'the summary answers');
    assert.ok(timeAnchorsServed() > before);
    checkPages(w.db, 'imported');

    // Above the coverage: no time, tied with an imported record, before 1970, on an hour's edge.
    const tied = w.db.prepare('SELECT creation_time FROM records WHERE id = 100').pluck().get() as string;
    for (const t of [
      null,
      tied,
      '1969-12-31T23:59:59.999Z',
      '1969-12-31T23:00:00.000Z',
      '2026-10-05T10:00:00.000Z',
      null,
    ])
      insertRecord(w.db, { creation_time: t, status: 'OK' });
    assert.ok(checkAnchors(w.db, 'pending', false) > 100);
    checkPages(w.db, 'pending');
    updateSummary(w.db);
    assert.ok(checkAnchors(w.db, 'summarised again', false) > 100);

    // A time stored as REAL (not a whole ms): anchors past its hour decline, none is wrong.
    const real = insertRecord(w.db, { creation_time: '2026-10-07T12:30:00.000Z' });
    w.db.prepare('UPDATE records SET creation_time_ms = creation_time_ms + 0.5 WHERE id = ?').run(real);
    checkAnchors(w.db, 'REAL time', true);
    checkPages(w.db, 'REAL time');
    // A TEXT time sorts above every number: every anchor declines.
    const text = insertRecord(w.db, { creation_time: null });
    w.db.prepare("UPDATE records SET creation_time_ms = 'soon' WHERE id = ?").run(text);
    assert.equal(checkAnchors(w.db, 'TEXT time', true), 0);
    checkPages(w.db, 'TEXT time');
    w.db.prepare('DELETE FROM records WHERE id IN (?, ?)').run(real, text);

    // The removal's records leave the summary too (whichever way it keeps it exact).
    await removeImport(w.db, 1, new AbortController().signal);
    checkAnchors(w.db, 'removed', true);
    checkPages(w.db, 'removed');
    updateSummary(w.db);
    assert.ok(checkAnchors(w.db, 'removed, summarised again', false) > 50);
    checkPages(w.db, 'removed, summarised again');
  } finally {
    w.cleanup();
  }
});

const HOUR = 3_600_000;
const recordsArb = fc.array(
  fc.option(
    fc
      .tuple(fc.integer({ min: -3, max: 6 }), fc.constantFrom(0, 1, HOUR / 2, HOUR - 1))
      .map(([h, o]) => h * HOUR + o),
    { freq: 5 },
  ),
  { maxLength: 60 },
);

test('time anchors equal brute force for drawn times and summary coverage (fast-check)', () => {
  fc.assert(
    fc.property(recordsArb, fc.nat(), fc.nat(), (times, cut, pick) => {
      const w = tempWorkspace();
      try {
        for (const t of times)
          insertRecord(w.db, { creation_time: t === null ? null : new Date(t).toISOString() });
        // Summarised up to a drawn id; the rest pending above the coverage.
        if (times.length > 0) updateSummary(w.db, undefined, 1 + (cut % times.length));
        for (const dir of ['asc', 'desc'] as const) {
          const all = brute(w.db, dir);
          const rows = [...rowsToCheck(all), times.length === 0 ? 0 : pick % times.length];
          for (const row of rows) {
            const got = timeAnchor(w.db, {}, keysOf(dir), row);
            assert.deepEqual(got, bruteAnchor(all, dir, row), `${dir} row ${row}`);
          }
        }
      } finally {
        w.close();
      }
    }),
    { numRuns: 40 },
  );
});
