/**
 * A page reader (value codes enabled, no aggregate reader's sets) takes the kept address map before it
 * finds a free word's set (page-words.ts): sorted pages of word searches equal a brute-force ORDER BY
 * with the map taken, with a kept copy an append left behind (not used: the vocabulary covers more),
 * after the copies were kept again, and after a removal; a connection without codes (the CLI's) takes
 * nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import type { ColumnId } from '../../common/columns';
import type { FilterModel, SortDir } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { removeImport } from '../../main/engine/import/remove';
import { addressMapReady } from '../../main/engine/query/address-memory';
import { enableColumnCodes, stepColumnCodes } from '../../main/engine/query/column-codes';
import { clearQueryCache, queryPage } from '../../main/engine/query/paging';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { importFiles, workspace } from './import-fixture';
import { bruteSortedIds, writeCaseExports } from './summary-brute';

const FILTERS: FilterModel[] = [{ q: 'jane' }, { q: '-jane status:ok' }, { q: 'jane after:2026-10-20' }];
const SORTS: [ColumnId, SortDir][] = [
  ['tenant', 'asc'],
  ['status', 'desc'],
  ['usage_id', 'desc'],
  ['message_size', 'asc'],
];

/** First and deeper pages (the deeper ones find the whole set) against brute force. */
function checkPages(page: Database, writer: Database, label: string): void {
  for (const filter of FILTERS)
    for (const [column, dir] of SORTS) {
      const all = bruteSortedIds(writer, filter, column, dir);
      clearQueryCache(page);
      for (const start of [0, 1100, Math.max(0, all.length - 30)]) {
        const got = queryPage(page, {
          filter,
          sort: [{ column, dir }],
          startRow: start,
          endRow: start + 100,
        });
        assert.deepEqual(
          got.rows.map((r) => r.id),
          all.slice(start, start + 100),
          `${label}: ${JSON.stringify(filter)} by ${column} ${dir} from ${start}`,
        );
      }
    }
}

function mapReady(db: Database): boolean {
  return db.transaction(() => addressMapReady(db))();
}

test('a page reader finds word sets through the kept address map, exactly, and only while current', async () => {
  const w = workspace();
  const page = openDatabase(w.dbPath, { readonly: true });
  const bare = openDatabase(w.dbPath, { readonly: true });
  try {
    const [a, b] = writeCaseExports(w.dir, 31);
    await importFiles(w.db, [a]);
    enableColumnCodes(page);
    while (stepColumnCodes(page, 5000));
    assert.equal(mapReady(page), false);
    checkPages(page, w.db, 'kept');
    assert.equal(mapReady(page), true, 'the page reader took the kept map');
    checkPages(bare, w.db, 'no codes');
    assert.equal(mapReady(bare), false, 'a connection without codes takes nothing');

    // An append the kept copies do not cover: the map is behind the vocabulary, the pages exact.
    await importFiles(w.db, [b], { keepMemories: false });
    updateSearchIndex(w.db);
    while (stepColumnCodes(page, 5000));
    checkPages(page, w.db, 'appended');
    assert.equal(mapReady(page), false, 'a copy behind the vocabulary is not used');
    keepMemories(w.db);
    checkPages(page, w.db, 'kept again');
    assert.equal(mapReady(page), true, 'the newer copy is taken');

    await removeImport(w.db, 1, new AbortController().signal);
    while (stepColumnCodes(page, 5000));
    checkPages(page, w.db, 'removed');
  } finally {
    page.close();
    bare.close();
    w.cleanup();
  }
});
