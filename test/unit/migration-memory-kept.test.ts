/**
 * Migration 7: the readers' kept memories live in a rowid table (`memory_kept`). The first table,
 * `memory_cache`, was WITHOUT ROWID: each lookup by name read the 4 MiB blobs of the rows it compared
 * against, ~10 ms per request at 5M rows. A workspace that has it loses it when opened (it is only a
 * cache, up to 120 MB at 5M), and the next import keeps the memories in the new table, from which a
 * reader restores them.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import { currentVersion, MIGRATIONS } from '../../main/engine/db/migrations';
import { openDatabase } from '../../main/engine/db/open';
import { enableAddressMemory } from '../../main/engine/query/address-memory';
import { enableFactsMemory } from '../../main/engine/query/facts-memory';
import { MEMORY_CACHE_TABLE, restoreMemories } from '../../main/engine/query/memory-cache';
import { enableValuesMemory } from '../../main/engine/query/values-memory';
import { importFiles, workspace } from './import-fixture';

const tables = (db: BetterSqlite3.Database): string[] =>
  db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'memory%' ORDER BY name")
    .pluck()
    .all() as string[];

test('opening drops the old WITHOUT ROWID memory_cache; imports keep the memories in memory_kept, and a reader restores them', async () => {
  const w = workspace();
  try {
    // A workspace as the ninth session's app left it: version 6 and an old memory_cache with a blob.
    w.db.exec(
      'CREATE TABLE memory_cache (name TEXT PRIMARY KEY, generation TEXT NOT NULL, upto INTEGER NOT NULL, data BLOB NOT NULL) WITHOUT ROWID',
    );
    w.db
      .prepare('INSERT INTO memory_cache VALUES (?, ?, ?, ?)')
      .run('facts.t', 'g', 1, Buffer.alloc(1 << 20));
    w.db.pragma('user_version = 6');
    w.db.close();

    const db = openDatabase(w.dbPath);
    try {
      assert.equal(currentVersion(db), MIGRATIONS[MIGRATIONS.length - 1]?.version);
      assert.deepEqual(tables(db), [], 'the old table is gone, the new one not made before it is needed');
      const file = path.join(w.dir, 'a.csv');
      writeFileSync(file, toCsv(generateRows({ rows: 3000, seed: 5 })));
      await importFiles(db, [file]);
      assert.deepEqual(tables(db), [MEMORY_CACHE_TABLE]);
      const withoutRowid = db
        .prepare('SELECT sql FROM sqlite_master WHERE name = ?')
        .pluck()
        .get(MEMORY_CACHE_TABLE) as string;
      assert.doesNotMatch(withoutRowid, /WITHOUT ROWID/i);
    } finally {
      db.close();
    }
    const reader = openDatabase(w.dbPath, { readonly: true });
    try {
      enableFactsMemory(reader);
      enableAddressMemory(reader);
      enableValuesMemory(reader);
      assert.deepEqual(restoreMemories(reader).sort(), ['address', 'facts', 'values']);
    } finally {
      reader.close();
    }
  } finally {
    w.cleanup();
  }
});
