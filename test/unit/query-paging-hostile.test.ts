import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LIMITS, type SortKey } from '../../common/contract';
import { queryPage } from '../../main/engine/query';
import { ANCHOR_EVERY } from '../../main/engine/query/paging';
import { EngineHost } from '../../main/engine/worker/host';
import { validators } from '../../main/ipc/validate';
import { filledWorkspace, type Filled } from './query-fixture';

/**
 * Finding 1 of the hardening review: a page request far past the end walked the anchor cache down one
 * index per 1,000 rows (MAX_SAFE_INTEGER would have taken hours) and blocked the reader thread. Each
 * test carries a timeout, so a regression fails instead of hanging the suite.
 */
let ws: Filled;
before(() => {
  ws = filledWorkspace(3500);
});
after(() => ws.close());

const SORTS: SortKey[][] = [
  [{ column: 'creation_time', dir: 'desc' }],
  [{ column: 'message_to', dir: 'asc' }],
  [{ column: 'status', dir: 'asc' }],
  [],
];

/** Rejects after `ms` instead of waiting for ever: the hang shows as a failure. */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

test('the reader thread answers a page at MAX_SAFE_INTEGER at once and keeps serving', async () => {
  ws.db.pragma('wal_checkpoint(TRUNCATE)');
  const host = EngineHost.open(ws.file);
  try {
    const sort: SortKey[] = [{ column: 'creation_time', dir: 'desc' }];
    const startRow = Number.MAX_SAFE_INTEGER - 1000;
    const page = await within(
      10_000,
      'rows:page at MAX_SAFE_INTEGER',
      host.invoke('rows:page', { filter: {}, sort, startRow, endRow: startRow + 100 }),
    );
    assert.deepEqual(page.rows, []);
    const count = await within(5_000, 'rows:count after it', host.invoke('rows:count', { filter: {} }));
    assert.equal(page.lastRow, count);
  } finally {
    // A hung reader would keep the test process alive; terminate it either way.
    await host.close();
  }
});

test('pages at and past the end are empty, with the real count, for every sort', () => {
  const total = (ws.db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
  for (const sort of SORTS) {
    // (Far larger values run on the worker above, where a regression times out instead of hanging.)
    for (const startRow of [LIMITS.maxRows, total, total + 1]) {
      const page = queryPage(ws.db, { filter: {}, sort, startRow, endRow: startRow + 100 });
      assert.deepEqual(page.rows, [], `startRow ${startRow}`);
      assert.equal(page.lastRow, total);
    }
  }
});

test('deep pages after sparse earlier requests still find the nearest anchor and the right rows', () => {
  const sort: SortKey[] = [{ column: 'creation_time', dir: 'asc' }];
  const all = ws.db
    .prepare('SELECT id FROM records ORDER BY creation_time_ms ASC, id ASC')
    .pluck()
    .all() as number[];
  // Request out of order, so known anchors have gaps below the page asked for.
  for (const start of [3 * ANCHOR_EVERY + 7, ANCHOR_EVERY, 2 * ANCHOR_EVERY + 500, 10]) {
    const page = queryPage(ws.db, { filter: {}, sort, startRow: start, endRow: start + 50 });
    assert.deepEqual(
      page.rows.map((r) => r.id),
      all.slice(start, start + 50),
      `page at ${start}`,
    );
  }
  // A filter matching only a few rows: an anchor past its end is null, and pages beyond it stay empty.
  const filter = { q: 'status:ERROR' };
  const few = queryPage(ws.db, { filter, sort, startRow: 3 * ANCHOR_EVERY, endRow: 3 * ANCHOR_EVERY + 10 });
  assert.deepEqual(few.rows, []);
  assert.ok((few.lastRow ?? Infinity) < 3 * ANCHOR_EVERY);
});

test('the validator rejects a startRow no workspace can reach', () => {
  const page = validators['rows:page'];
  assert.throws(
    () =>
      page({ filter: {}, sort: [], startRow: Number.MAX_SAFE_INTEGER - 10, endRow: Number.MAX_SAFE_INTEGER }),
    /startRow: must be between 0 and 1000000000/,
  );
  assert.equal(
    page({ filter: {}, sort: [], startRow: LIMITS.maxRows, endRow: LIMITS.maxRows + 100 }).startRow,
    LIMITS.maxRows,
  );
});
