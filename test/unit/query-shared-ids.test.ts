/**
 * A filter's id set handed from the aggregate reader to the page reader (shared-ids.ts): the set the
 * page reader adopts is exactly the filter's matches in its own snapshot, and the sorted pages served
 * from it equal a brute-force ORDER BY, after two imports, with the aggregate reader's memories not,
 * partly and fully loaded, after an append above the answer's max id, for an answer from a newer
 * snapshot, and declined after a removal. The worker relay and the host carry it across threads.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import { loadAggregateMemories } from '../../bench/sort-filters';
import { columnById, type ColumnId } from '../../common/columns';
import type { FilterModel, PageRequest, SortDir } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { removeImport } from '../../main/engine/import/remove';
import { enableFactsMemory, stepFactsMemory } from '../../main/engine/query/facts-memory';
import { compileWhere } from '../../main/engine/query/filter';
import { clearQueryCache, filterState, queryPage } from '../../main/engine/query/paging';
import { factsCoverage } from '../../main/engine/query/record-facts';
import { adoptIds, answerIds, wantsIds, type IdAnswer } from '../../main/engine/query/shared-ids';
import { idsRelay } from '../../main/engine/worker/ids-relay';
import { EngineHost } from '../../main/engine/worker/host';
import type { FromWorker } from '../../main/engine/worker/protocol';
import { importFiles, workspace } from './import-fixture';
import { ranStatement } from './statement-spy';

/** A free word, an enum value, its negation, a time range, a domain, a prefix, three terms. */
const FILTERS: FilterModel[] = [
  { q: 'jane' },
  { q: 'status:error' },
  { q: '-status:error' },
  { q: 'after:2026-10-20' },
  { q: 'domain:web.de' },
  { q: 'to:max' },
  { q: 'status:error region:DE1 -interface:smtp' },
];

/** Columns of each kind: indexed whole or partial, coded, status with its time tie-break, time. */
const COLUMNS: ColumnId[] = [
  'message_to',
  'message_to_domain',
  'correlation_id',
  'message_size',
  'tenant',
  'status_details',
  'smtp_status_code',
  'creation_time',
];

/** The order a person expects, spelled out independently of sql.ts. */
function bruteOrder(column: ColumnId, dir: SortDir): string {
  const d = dir === 'asc' ? 'ASC' : 'DESC';
  const expr =
    column === 'message_to' || column === 'message_to_domain'
      ? `lower(${column})`
      : columnById(column).kind === 'time'
        ? `${column}_ms`
        : column;
  const time = ['status', 'substatus', 'status_details'].includes(column) ? `, creation_time_ms ${d}` : '';
  return `${expr} ${d}${time}, id ${d}`;
}

function bruteIds(db: Database, filter: FilterModel, order = 'id ASC'): number[] {
  const where = compileWhere(filter);
  return db
    .prepare(`SELECT id FROM records NOT INDEXED WHERE ${where.sql} ORDER BY ${order}`)
    .pluck()
    .all(...where.params) as number[];
}

/** The set the page reader holds for `filter` now, ascending. */
function heldIds(page: Database, filter: FilterModel): number[] | undefined {
  const held = filterState(page, filter, undefined).ids;
  return held ? Array.from(held.list) : undefined;
}

/** Pages 0, 1, one near the end and the one after it, for every column of COLUMNS in both directions. */
function checkPages(page: Database, filter: FilterModel, label: string, adopt: () => void): void {
  for (const column of COLUMNS) {
    for (const dir of ['asc', 'desc'] as const) {
      clearQueryCache(page);
      adopt();
      const all = bruteIds(page, filter, bruteOrder(column, dir));
      const end = Math.max(0, all.length - 130);
      for (const start of [0, 100, end, end + 100]) {
        const got = queryPage(page, {
          filter,
          sort: [{ column, dir }],
          startRow: start,
          endRow: start + 100,
        });
        assert.deepEqual(
          got.rows.map((r) => r.id),
          all.slice(start, start + 100),
          `${label}: ${column} ${dir} from ${start} of ${all.length}, ${JSON.stringify(filter)}`,
        );
      }
    }
  }
}

/** Each filter answered by `agg`, adopted by `page`: the held set is the brute-force one, pages too. */
function checkShared(page: Database, agg: Database, label: string): void {
  for (const filter of FILTERS) {
    clearQueryCache(agg);
    const answer = answerIds(agg, filter);
    assert.ok(answer !== null, `${label}: an answer for ${JSON.stringify(filter)}`);
    const adopt = (): void => assert.equal(adoptIds(page, filter, answer), true, `${label}: adopted`);
    clearQueryCache(page);
    adopt();
    assert.deepEqual(
      heldIds(page, filter),
      bruteIds(page, filter),
      `${label}: set of ${JSON.stringify(filter)}`,
    );
    checkPages(page, filter, label, adopt);
  }
}

function writeExport(dir: string, name: string, seed: number, startMs: number): string {
  const file = path.join(dir, name);
  writeFileSync(file, toCsv(generateRows({ rows: 2500, seed, startMs, spanDays: 20 })));
  return file;
}

test('an adopted id set is the filter`s matches, and its sorted pages equal brute force', async () => {
  const w = workspace();
  const files = [1, 2, 3].map((i) => writeExport(w.dir, `${i}.csv`, 40 + i, Date.UTC(2026, 9, 1 + 8 * i)));
  await importFiles(w.db, [files[0]]);
  await importFiles(w.db, [files[1]]);
  const page = openDatabase(w.dbPath, { readonly: true });
  const agg = openDatabase(w.dbPath, { readonly: true });
  try {
    // Which requests ask: sorted and filtered, not by time; a free word has no cheap count.
    const janeBy = (column: ColumnId): boolean =>
      wantsIds(page, { filter: { q: 'jane' }, sort: [{ column, dir: 'asc' }], startRow: 0, endRow: 100 });
    assert.equal(janeBy('tenant'), true);
    assert.equal(janeBy('creation_time'), false, 'the default sort never waits for the aggregate reader');
    assert.equal(
      wantsIds(page, { filter: {}, sort: [{ column: 'tenant', dir: 'asc' }], startRow: 0, endRow: 100 }),
      false,
    );

    // A filter with a cheap count and few matches: the page reader finds its set itself, and the
    // count that decided it is read once per search, not again for every page.
    const few: PageRequest = {
      filter: { q: 'details:hard_bounce region:DE1' },
      sort: [{ column: 'tenant', dir: 'asc' }],
      startRow: 0,
      endRow: 100,
    };
    let decided = true;
    assert.equal(
      ranStatement(page, 'sum(n)', () => (decided = wantsIds(page, few))),
      true,
      'the first page reads the cheap count',
    );
    assert.equal(decided, false, 'few matches: not asked for');
    for (const startRow of [100, 200]) {
      let again = true;
      const read = ranStatement(page, 'sum(n)', () => (again = wantsIds(page, { ...few, startRow })));
      assert.equal(again, false, 'still not asked for');
      assert.equal(read, false, 'the next pages do not read the count again');
    }
    clearQueryCache(page);
    assert.equal(
      ranStatement(page, 'sum(n)', () => wantsIds(page, few)),
      true,
      'a new search decides again',
    );

    // An answer of none is not asked for again on every page of the same search.
    assert.equal(adoptIds(page, { q: 'jane' }, null), false);
    assert.equal(janeBy('tenant'), false, 'asked once per search');
    clearQueryCache(page);
    assert.equal(janeBy('tenant'), true, 'a new search asks again');

    checkShared(page, agg, 'memories not loaded');
    enableFactsMemory(agg);
    stepFactsMemory(agg, () => factsCoverage(agg));
    checkShared(page, agg, 'memories partly loaded');
    loadAggregateMemories(agg);
    checkShared(page, agg, 'memories loaded');

    // An answer from before an append: the records above its max id are read by the page reader.
    const stale = FILTERS.map((f) => [f, answerIds(agg, f)] as const);
    await importFiles(w.db, [files[2]]);
    for (const [filter, answer] of stale) {
      assert.ok(answer !== null);
      const adopt = (): void => assert.equal(adoptIds(page, filter, answer), true);
      clearQueryCache(page);
      adopt();
      const all = bruteIds(page, filter);
      assert.ok(all.length > answer.ids.length, `the append added matches of ${JSON.stringify(filter)}`);
      assert.deepEqual(heldIds(page, filter), all, `after an append: set of ${JSON.stringify(filter)}`);
      checkPages(page, filter, 'after an append', adopt);
    }

    // An answer from a newer snapshot than the page reader's: ids above its max id are left out.
    const top = page.prepare('SELECT max(id) FROM records').pluck().get() as number;
    for (const filter of FILTERS) {
      const answer = answerIds(agg, filter) as IdAnswer;
      const newer: IdAnswer = {
        ...answer,
        maxId: top + 2,
        ids: Uint32Array.from([...answer.ids, top + 1, top + 2]),
      };
      clearQueryCache(page);
      assert.equal(adoptIds(page, filter, newer), true);
      assert.deepEqual(
        heldIds(page, filter),
        bruteIds(page, filter),
        `newer answer: ${JSON.stringify(filter)}`,
      );
    }

    // A removal bumps the records generation: an answer from before it is declined.
    const before = answerIds(agg, FILTERS[0]) as IdAnswer;
    const middle = w.db
      .prepare('SELECT id FROM imports ORDER BY id LIMIT 1 OFFSET 1')
      .pluck()
      .get() as number;
    await removeImport(w.db, middle, new AbortController().signal);
    clearQueryCache(page);
    assert.equal(adoptIds(page, FILTERS[0], before), false, 'an answer from before a removal is declined');
    assert.equal(heldIds(page, FILTERS[0]), undefined);
    checkShared(page, agg, 'after a removal');
  } finally {
    page.close();
    agg.close();
    w.cleanup();
  }
});

test('the worker relay asks the aggregate reader and the page reader adopts its answer', async () => {
  const w = workspace();
  await importFiles(w.db, [writeExport(w.dir, 'a.csv', 5, Date.UTC(2026, 9, 1))]);
  const page = openDatabase(w.dbPath, { readonly: true });
  const agg = openDatabase(w.dbPath, { readonly: true });
  const toPage = new MessageChannel();
  const toAgg = new MessageChannel();
  try {
    // The host's part: a page reader's question to the aggregate reader, the answer back.
    const pageRelay = idsRelay(page, toPage.port2, true);
    const aggRelay = idsRelay(agg, toAgg.port2, false);
    toPage.port2.on('message', (m: Parameters<typeof pageRelay.onMessage>[0]) => pageRelay.onMessage(m));
    toAgg.port2.on('message', (m: Parameters<typeof aggRelay.onMessage>[0]) => aggRelay.onMessage(m));
    const host = (from: MessagePort, to: MessagePort, type: 'ids' | 'ids-result'): void => {
      from.on('message', (m: FromWorker) => {
        if (m.type === 'ids-ask' && type === 'ids') to.postMessage({ type, id: m.id, filter: m.filter });
        if (m.type === 'ids-answer' && type === 'ids-result')
          to.postMessage({ type, id: m.id, answer: m.answer });
      });
    };
    host(toPage.port1, toAgg.port1, 'ids');
    host(toAgg.port1, toPage.port1, 'ids-result');

    const filter = { q: 'jane' };
    const req = {
      filter,
      sort: [{ column: 'tenant' as const, dir: 'desc' as const }],
      startRow: 0,
      endRow: 100,
    };
    await pageRelay.beforePage(req);
    assert.deepEqual(heldIds(page, filter), bruteIds(page, filter), 'the page reader holds the answered set');
    // Malformed arguments are left to the page handler's own validation.
    await pageRelay.beforePage({ filter, sort: [{ column: 'nope', dir: 'asc' }], startRow: 0, endRow: 1 });
  } finally {
    toPage.port1.close();
    toAgg.port1.close();
    page.close();
    agg.close();
    w.cleanup();
  }
});

test('through the engine host, sorted pages sent with count, facets and histogram equal brute force', async () => {
  const w = workspace();
  await importFiles(w.db, [writeExport(w.dir, 'a.csv', 9, Date.UTC(2026, 9, 1))]);
  await importFiles(w.db, [writeExport(w.dir, 'b.csv', 10, Date.UTC(2026, 9, 15))]);
  const host = await EngineHost.start(w.dbPath);
  try {
    for (const filter of FILTERS) {
      for (const column of ['tenant', 'message_to', 'correlation_id'] as const) {
        const dir = 'desc';
        const all = bruteIds(w.db, filter, bruteOrder(column, dir));
        const sort = [{ column, dir }] as const;
        // As the UI sends a search: the page with its count, facets and histogram.
        const [got, count] = await Promise.all([
          host.invoke('rows:page', { filter, sort: [...sort], startRow: 0, endRow: 100 }),
          host.invoke('rows:count', { filter }),
          host.invoke('facets:get', { filter }),
          host.invoke('histogram:get', { filter }),
        ]);
        assert.equal(count, all.length);
        assert.deepEqual(
          got.rows.map((r) => r.id),
          all.slice(0, 100),
          `${column} ${JSON.stringify(filter)}`,
        );
        const end = Math.max(0, all.length - 150);
        const deep = await host.invoke('rows:page', {
          filter,
          sort: [...sort],
          startRow: end,
          endRow: end + 100,
        });
        assert.deepEqual(
          deep.rows.map((r) => r.id),
          all.slice(end, end + 100),
          `${column} from ${end}`,
        );
      }
    }
  } finally {
    await host.close();
    w.cleanup();
  }
});
