import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { COLUMN_IDS } from '../../common/columns';
import { compareVersions, MIN_SQLITE_VERSION, openDatabase } from '../../main/engine/db/open';
import { MIGRATIONS, RECORD_INDEXES, currentVersion, migrate } from '../../main/engine/db/migrations';
import { lookupAddresses } from '../../main/engine/query/lookup';

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

test('a version 2 workspace gets its address indexes on lower() and still finds addresses in any case', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'di-mig-'));
  const file = path.join(dir, 'old.sqlite');
  try {
    // A workspace as version 2 left it: the address and domain indexes were COLLATE NOCASE.
    const old = new BetterSqlite3(file);
    for (const m of MIGRATIONS.filter((x) => x.version <= 2)) old.exec(m.sql);
    old.exec(`
      CREATE INDEX records_to ON records(message_to COLLATE NOCASE, creation_time_ms);
      CREATE INDEX records_to_domain ON records(message_to_domain COLLATE NOCASE);
      INSERT INTO imports (file_name, file_path, file_size, content_hash, encoding, delimiter, header_mapping,
        timezone_assumed, started_at, status) VALUES ('a.csv', '/a.csv', 1, '', 'utf-8', ',', '[]', '', 0, 'done');
      INSERT INTO records (import_id, line, row_key, message_to, message_to_domain, status, creation_time_ms)
        VALUES (1, 2, 'k1', 'Jane.Doe@Kunde.DE', 'Kunde.DE', 'OK', 1000),
               (1, 3, 'k2', 'jane.doe@kunde.de', 'kunde.de', 'ERROR', 2000),
               (1, 4, 'k3', 'other@kunde.de', 'kunde.de', 'OK', 3000);
    `);
    old.pragma('user_version = 2');
    old.close();

    const db = openDatabase(file);
    assert.equal(currentVersion(db), MIGRATIONS[MIGRATIONS.length - 1]?.version);
    const sqlOf = (name: string): string =>
      (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as { sql: string }).sql;
    assert.match(sqlOf('records_to'), /lower\(message_to\), creation_time_ms/);
    assert.match(sqlOf('records_to_domain'), /lower\(message_to_domain\)/);
    assert.doesNotMatch(sqlOf('records_to'), /NOCASE/);
    const [line] = lookupAddresses(db, ['JANE.DOE@kunde.de']);
    assert.equal(line?.found, 2);
    assert.equal(line?.latestStatus, 'ERROR');
    const plan = (
      db.prepare('EXPLAIN QUERY PLAN SELECT id FROM records WHERE lower(message_to) = lower(?)').all('x') as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    assert.ok(
      plan.some((d) => d.includes('records_to')),
      plan.join('; '),
    );
    assert.equal(db.pragma('quick_check', { simple: true }), 'ok');
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
