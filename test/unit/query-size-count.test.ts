/**
 * A search of size bounds alone is counted from the records_size index (size-count.ts): equal to a
 * brute-force count, with records without a size, after an append; anything else (another term, a
 * negation, a time bound, the index dropped by a load) is left to the usual paths.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../common/contract';
import { clearQueryCache, countRows } from '../../main/engine/query/paging';
import { sizeCount } from '../../main/engine/query/size-count';
import { importFiles, workspace } from './import-fixture';
import { bruteCount, writeCaseExports } from './summary-brute';

const BOUNDS: readonly FilterModel[] = [
  { q: 'size>100000' },
  { q: 'size>=2000' },
  { q: 'size<5000' },
  { q: 'size<=150000 size>50000' },
  { q: 'size:2500' },
  { q: 'size>1000000000' },
];

const OTHERS: readonly FilterModel[] = [
  { q: '-size>100000' },
  { q: 'size>100000 status:ok' },
  { q: 'size>100000 jane' },
  { q: 'size>100000', timeFrom: Date.UTC(2026, 9, 15) },
  { q: 'size>100000', conditions: [{ type: 'text', column: 'message_to', op: 'contains', value: 'a' }] },
];

function check(db: Database, label: string): void {
  for (const filter of BOUNDS) {
    const what = `${label} ${JSON.stringify(filter)}`;
    clearQueryCache(db);
    const brute = bruteCount(db, filter);
    assert.equal(sizeCount(db, filter), brute, `index count ${what}`);
    assert.equal(countRows(db, filter), brute, `count ${what}`);
  }
  for (const filter of OTHERS) {
    const what = `${label} ${JSON.stringify(filter)}`;
    clearQueryCache(db);
    assert.equal(sizeCount(db, filter), null, `not by the index ${what}`);
    assert.equal(countRows(db, filter), bruteCount(db, filter), `count ${what}`);
  }
}

test('size bounds alone are counted from the size index, exactly', async () => {
  const w = workspace();
  try {
    const [a, b] = writeCaseExports(w.dir, 33);
    await importFiles(w.db, [a]);
    // Records without a size (an empty cell) match no bound.
    w.db.exec('UPDATE records SET message_size = NULL WHERE id % 7 = 0');
    check(w.db, 'one import');
    await importFiles(w.db, [b]);
    check(w.db, 'after an append');
    w.db.exec('DROP INDEX records_size');
    clearQueryCache(w.db);
    assert.equal(sizeCount(w.db, { q: 'size>100000' }), null, 'no index: the usual paths');
    assert.equal(countRows(w.db, { q: 'size>100000' }), bruteCount(w.db, { q: 'size>100000' }));
  } finally {
    w.cleanup();
  }
});
