import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import { COLUMN_IDS } from '../../common/columns';
import { openDatabase, PAGE_SIZE } from '../../main/engine/db/open';
import { RECORD_INDEXES } from '../../main/engine/db/migrations';
import { count, fixture, importFiles, indexNames, record, workspace } from './import-fixture';

const NUMERIC = [
  'line',
  'creation_time_ms',
  'meta_data_creation_time_ms',
  'smtp_code',
  'message_size',
  'version',
];

test('numbers are stored as INTEGER values (they sort and compare as numbers), empty ones as NULL', async () => {
  const w = workspace();
  try {
    const file = path.join(w.dir, 'sizes.csv');
    const rows = [...generateRows({ rows: 3, seed: 11 })];
    rows[0][6] = '9';
    rows[1][6] = '10';
    rows[2][6] = '';
    rows[2][21] = '';
    writeFileSync(file, toCsv(rows));
    assert.equal((await importFiles(w.db, [file])).files[0].imported, 3);
    for (const col of NUMERIC) {
      const types = w.db.prepare(`SELECT DISTINCT typeof(${col}) AS t FROM records`).all() as { t: string }[];
      for (const { t } of types) assert.ok(t === 'integer' || t === 'null', `${col} stored as ${t}`);
    }
    const sizes = w.db.prepare('SELECT message_size AS s FROM records ORDER BY message_size').pluck().all();
    assert.deepEqual(sizes, [null, 9, 10]);
    const empty = w.db
      .prepare(
        'SELECT meta_data_creation_time, meta_data_creation_time_ms FROM records WHERE message_size IS NULL',
      )
      .get();
    assert.deepEqual(empty, { meta_data_creation_time: null, meta_data_creation_time_ms: null });
  } finally {
    w.cleanup();
  }
});

test('the dedupe key is the SHA-1 of the canonical values, so older workspaces still recognise re-imported rows', async () => {
  const w = workspace();
  try {
    await importFiles(w.db, [fixture('semicolon-bom-crlf.csv')]);
    const a = record(w.db, 'c-semi-1');
    // Canonical values: the 24 columns as text, times as epoch ms, numbers trimmed; missing values ''.
    const canonical = COLUMN_IDS.map((id) => {
      if (id === 'creation_time') return String(a.creation_time_ms);
      if (id === 'meta_data_creation_time') return String(a.meta_data_creation_time_ms);
      const v = a[id];
      return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
    });
    const expected = createHash('sha1').update(canonical.join('\u0000')).digest('base64').slice(0, 16);
    assert.equal(a.row_key, expected);
  } finally {
    w.cleanup();
  }
});

test('a new workspace gets large pages; one made with 4 KiB pages keeps them and still imports', async () => {
  const fresh = workspace();
  try {
    assert.equal(fresh.db.pragma('page_size', { simple: true }), PAGE_SIZE);
  } finally {
    fresh.cleanup();
  }
  const w = workspace();
  try {
    w.db.close();
    const old = path.join(w.dir, 'old.sqlite');
    const raw = new BetterSqlite3(old);
    raw.pragma('page_size = 4096');
    raw.pragma('journal_mode = WAL');
    raw.close();
    const db = openDatabase(old);
    try {
      assert.equal(db.pragma('page_size', { simple: true }), 4096);
      const file = path.join(w.dir, 'g.csv');
      writeFileSync(file, toCsv(generateRows({ rows: 5000, seed: 5 })));
      const r = await importFiles(db, [file]);
      assert.equal(r.files[0].imported, 5000);
      assert.equal(count(db, 'records'), 5000);
      // The indexes were dropped for the bulk load and rebuilt (with parallel sorting) before commit.
      const names = indexNames(db);
      for (const idx of RECORD_INDEXES) assert.ok(names.includes(idx.name), `missing ${idx.name}`);
      assert.equal(db.pragma('quick_check', { simple: true }), 'ok');
      assert.equal(db.pragma('threads', { simple: true }), 0, 'the sort settings are restored');
    } finally {
      db.close();
    }
  } finally {
    w.cleanup();
  }
});
