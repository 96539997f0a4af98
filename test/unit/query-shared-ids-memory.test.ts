/**
 * The aggregate reader's id-set answers live in shared memory (shared-ids.ts sharedCopy, 18b): one
 * copy per cached set, handed out again on later asks of the same search, posted between threads
 * without a copy or a transfer. Neither side writes to it: after the page reader adopted it and
 * served sorted pages of every kind, the answer, the aggregate reader's own set, its count and the
 * pages still equal brute force.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { loadAggregateMemories } from '../../bench/sort-filters';
import type { ColumnId } from '../../common/columns';
import type { FilterModel } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { clearQueryCache, countRows, filterState, queryPage } from '../../main/engine/query/paging';
import { adoptIds, answerIds, type IdAnswer } from '../../main/engine/query/shared-ids';
import { transferOf } from '../../main/engine/worker/ids-transfer';
import { importFiles, workspace, writeCsvFiles } from './import-fixture';
import { bruteIds } from './summary-brute';

const FILTERS: FilterModel[] = [
  { q: 'jane' },
  { q: '-status:error' },
  { q: 'after:2026-10-20' },
  { q: 'domain:web.de' },
  { q: 'status:error region:DE1 -interface:smtp' },
];

/** Indexed, coded, status with its time tie-break: the page reader's paths that read the set. */
const COLUMNS: ColumnId[] = ['message_to', 'message_size', 'tenant', 'status_details', 'smtp_status_code'];

/** The first, a deeper and the following page of every COLUMNS sort, as the grid scrolls. */
function servePages(page: Database, filter: FilterModel, answer: IdAnswer): void {
  for (const column of COLUMNS) {
    for (const dir of ['asc', 'desc'] as const) {
      clearQueryCache(page);
      assert.equal(adoptIds(page, filter, answer), true);
      const all = page.prepare('SELECT count(*) FROM records').pluck().get() as number;
      for (const start of [0, Math.floor(all / 4), Math.floor(all / 4) + 100]) {
        queryPage(page, { filter, sort: [{ column, dir }], startRow: start, endRow: start + 100 });
      }
    }
  }
}

test('an id-set answer is one shared copy per cached set, and no side writes to it', async () => {
  const w = workspace();
  await importFiles(
    w.db,
    writeCsvFiles(w.dir, [{ rows: 3000, seed: 18, startMs: Date.UTC(2026, 9, 5), spanDays: 30 }]),
  );
  const page = openDatabase(w.dbPath, { readonly: true });
  const agg = openDatabase(w.dbPath, { readonly: true });
  try {
    loadAggregateMemories(agg);
    for (const filter of FILTERS) {
      const label = JSON.stringify(filter);
      const expected = bruteIds(agg, filter);
      clearQueryCache(agg);
      const first = answerIds(agg, filter);
      assert.ok(first !== null, `an answer for ${label}`);
      assert.ok(first.ids.buffer instanceof SharedArrayBuffer, `${label}: in shared memory`);
      assert.deepEqual(Array.from(first.ids), expected, `${label}: the answer`);
      const again = answerIds(agg, filter);
      assert.equal(again?.ids.buffer, first.ids.buffer, `${label}: a later ask of the search, no new copy`);
      const own = filterState(agg, filter, undefined).ids;
      assert.ok(own, `${label}: the aggregate reader keeps its set`);
      assert.notEqual(own.list.buffer, first.ids.buffer, `${label}: its set is not the shared copy`);

      servePages(page, filter, first);
      assert.deepEqual(Array.from(first.ids), expected, `${label}: the answer after the pages`);
      assert.deepEqual(Array.from(own.list), expected, `${label}: the aggregate reader's set after them`);
      assert.equal(countRows(agg, filter), expected.length, `${label}: the aggregate reader's count`);
      const held = filterState(page, filter, undefined).ids;
      assert.deepEqual(held ? Array.from(held.list) : null, expected, `${label}: the page reader's set`);

      // A new search (cache cleared) finds its set anew and copies that once.
      clearQueryCache(agg);
      const fresh = answerIds(agg, filter);
      assert.notEqual(fresh?.ids.buffer, first.ids.buffer, `${label}: a new search's own copy`);
      assert.deepEqual(Array.from(fresh?.ids ?? []), expected);
    }
  } finally {
    page.close();
    agg.close();
    w.cleanup();
  }
});

test('a shared answer is posted without a transfer; the receiver sees the same memory', async () => {
  const shared = new Uint32Array(new SharedArrayBuffer(12));
  shared.set([3, 5, 8]);
  const answer: IdAnswer = { generation: 'g', maxId: 8, ids: shared };
  assert.deepEqual(transferOf(answer), [], 'a SharedArrayBuffer cannot be in a transfer list');
  assert.deepEqual(transferOf(null), []);
  const plain: IdAnswer = { generation: 'g', maxId: 8, ids: Uint32Array.from([3, 5, 8]) };
  assert.deepEqual(transferOf(plain), [plain.ids.buffer], 'an ordinary buffer is transferred');

  const { port1, port2 } = new MessageChannel();
  try {
    const got = new Promise<IdAnswer>((resolve) => port2.once('message', resolve));
    port1.postMessage(answer, transferOf(answer));
    const received = await got;
    assert.ok(received.ids.buffer instanceof SharedArrayBuffer);
    assert.deepEqual(Array.from(received.ids), [3, 5, 8]);
    assert.equal(shared.length, 3, 'the sender keeps its view (not detached)');
    // The same memory on both sides: no copy was made on the way.
    Atomics.store(shared, 0, 4);
    assert.equal(Atomics.load(received.ids, 0), 4);
  } finally {
    port1.close();
  }
});
