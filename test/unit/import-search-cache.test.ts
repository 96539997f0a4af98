import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SEARCH_INDEX_CACHE_KIB } from '../../main/engine/import/importer';
import { count, importFiles, workspace, writeCsvFiles } from './import-fixture';

/**
 * The search-index phase runs with a small page cache (importer.ts SEARCH_INDEX_CACHE_KIB): with the
 * writer's 64 MiB it was the import's peak RSS. Observed where the phase prepares its vocabulary
 * statements, on the first build and on an append, and the connection's own size comes back after.
 */
test('the search-index phase runs with its own small page cache, the first build and an append, and the connection gets its own back', async () => {
  const w = workspace();
  try {
    const own = Number(w.db.pragma('cache_size', { simple: true }));
    assert.ok(own < -SEARCH_INDEX_CACHE_KIB, `the connection's own cache (${own}) is bigger than the bound`);
    const seen: number[] = [];
    const prepare = w.db.prepare.bind(w.db);
    w.db.prepare = (sql: string) => {
      if (sql.includes('FROM records WHERE id > ? AND id <= ?'))
        seen.push(Number(w.db.pragma('cache_size', { simple: true })));
      return prepare(sql);
    };
    const files = writeCsvFiles(w.dir, [
      { rows: 300, seed: 5 },
      { rows: 200, seed: 6, startMs: Date.UTC(2026, 11, 1) },
    ]);
    for (const [i, file] of files.entries()) {
      const before = seen.length;
      const r = await importFiles(w.db, [file]);
      assert.equal(r.files[0].error, undefined);
      assert.ok(seen.length > before, `import ${i + 1} prepared no vocabulary statement`);
      for (const size of seen.slice(before)) assert.equal(size, -SEARCH_INDEX_CACHE_KIB);
      assert.equal(Number(w.db.pragma('cache_size', { simple: true })), own);
    }
    assert.equal(count(w.db, 'records'), 500);
  } finally {
    w.cleanup();
  }
});
