import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { COLUMN_IDS } from '../../common/columns';
import { compareVersions, MIN_SQLITE_VERSION, openDatabase } from '../../main/engine/db/open';
import { MIGRATIONS, RECORD_INDEXES, currentVersion, migrate } from '../../main/engine/db/migrations';

test('a new workspace is migrated to the latest version with every column and index', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'di-mig-'));
  try {
    const db = openDatabase(path.join(dir, 'w.sqlite'));
    assert.equal(currentVersion(db), MIGRATIONS[MIGRATIONS.length - 1]?.version);
    const cols = (db.prepare('PRAGMA table_info(records)').all() as { name: string }[]).map((c) => c.name);
    for (const id of COLUMN_IDS) assert.ok(cols.includes(id), `records lacks ${id}`);
    for (const extra of [
      'import_id',
      'line',
      'row_key',
      'creation_time_ms',
      'meta_data_creation_time_ms',
      'extra',
    ])
      assert.ok(cols.includes(extra));
    const idx = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as { name: string }[]
    ).map((r) => r.name);
    for (const i of RECORD_INDEXES) assert.ok(idx.includes(i.name), `missing index ${i.name}`);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    // Re-running is a no-op: migrations are applied once.
    assert.deepEqual(migrate(db), []);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundled SQLite is new enough', () => {
  const db = openDatabase(':memory:');
  const v = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  assert.ok(compareVersions(v, MIN_SQLITE_VERSION) >= 0, `${v} < ${MIN_SQLITE_VERSION}`);
  assert.equal(compareVersions('3.51.3', '3.51.10'), -1);
  assert.equal(compareVersions('3.52.0', '3.51.10'), 1);
  db.close();
});
