import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import { COLUMN_IDS } from '../../common/columns';
import { currentVersion, MIGRATIONS } from '../../main/engine/db/migrations';
import { openDatabase } from '../../main/engine/db/open';
import { runExport } from '../../main/engine/export/exporter';
import { listImports } from '../../main/engine/import/history';
import { countRows } from '../../main/engine/query';
import { importFiles, workspace } from './import-fixture';

const quiet = { signal: new AbortController().signal, onProgress: () => undefined };

test('a version 3 workspace gets its enum values folded, originals kept, and still dedupes re-imports', async () => {
  const w = workspace();
  try {
    const rows = [...generateRows({ rows: 30, seed: 9 })];
    const s = COLUMN_IDS.indexOf('status');
    const r = COLUMN_IDS.indexOf('processing_region');
    rows[0][s] = 'ok ';
    rows[1][s] = 'Error';
    rows[2][r] = 'de2';
    rows[3][s] = 'weird';
    const file = path.join(w.dir, 'old.csv');
    writeFileSync(file, toCsv(rows));
    await importFiles(w.db, [file]);
    const folded = w.db
      .prepare('SELECT id, status, processing_region, raw_values FROM records ORDER BY id')
      .all();
    // Turn it into what version 3 left behind: the enum values as written, no raw_values / error columns.
    w.db.exec(`
      UPDATE records SET status = coalesce(raw_values ->> '$.status', status),
        processing_region = coalesce(raw_values ->> '$.processing_region', processing_region);
      ALTER TABLE records DROP COLUMN raw_values;
      ALTER TABLE imports DROP COLUMN error;
      DROP TABLE summary_hour;
      DROP TABLE summary_facets;
      DELETE FROM meta WHERE key LIKE 'summary_%';
    `);
    w.db.pragma('user_version = 3');
    assert.equal(
      (
        w.db.prepare("SELECT count(*) AS n FROM records WHERE status IN ('ok ', 'Error')").get() as {
          n: number;
        }
      ).n,
      2,
    );
    w.db.close();

    const db = openDatabase(w.dbPath);
    try {
      assert.equal(currentVersion(db), MIGRATIONS[MIGRATIONS.length - 1]?.version);
      assert.deepEqual(
        db.prepare('SELECT id, status, processing_region, raw_values FROM records ORDER BY id').all(),
        folded,
        'the migration folds exactly as an import does',
      );
      assert.equal(countRows(db, { q: 'status:ok' }), rows.filter((x) => /^ok$/i.test(x[s].trim())).length);
      assert.equal(countRows(db, { q: 'status:weird' }), 1);
      assert.deepEqual(
        listImports(db).map((i) => [i.status, i.error]),
        [['done', null]],
      );
      // The dedupe keys were computed from the original text, as new imports still compute them.
      const again = await importFiles(db, [file], { force: true });
      assert.deepEqual([again.files[0]?.imported, again.files[0]?.duplicates], [0, 30]);
      // And the export still writes what the file had.
      const out = path.join(w.dir, 'out.csv');
      await runExport(
        db,
        {
          jobId: 'e',
          path: out,
          filter: {},
          sort: [],
          delimiter: ',',
          bom: false,
          formulaGuard: false,
        },
        quiet,
      );
      assert.equal(readFileSync(out, 'utf8'), readFileSync(file, 'utf8'));
      assert.equal(db.pragma('quick_check', { simple: true }), 'ok');
    } finally {
      db.close();
    }
  } finally {
    w.cleanup();
  }
});

test('migration 4 on a version 3 workspace built from the version 1-3 SQL alone', () => {
  const w = workspace();
  w.db.close();
  const file = path.join(w.dir, 'v3.sqlite');
  try {
    const old = new BetterSqlite3(file);
    for (const m of MIGRATIONS.filter((x) => x.version <= 3)) old.exec(m.sql);
    old.exec(`
      INSERT INTO imports (file_name, file_path, file_size, content_hash, encoding, delimiter, header_mapping,
        timezone_assumed, started_at, status) VALUES ('a.csv', '/a.csv', 1, '', 'utf-8', ',', '[]', '', 0, 'done');
      INSERT INTO records (import_id, line, row_key, status, substatus, entry_interface, creation_time_ms)
        VALUES (1, 2, 'k1', 'OK', 'DELIVERED', 'rest', 1000),
               (1, 3, 'k2', ' error', 'Bounced', 'SMTP', 2000),
               (1, 4, 'k3', NULL, NULL, NULL, 3000);
    `);
    old.pragma('user_version = 3');
    old.close();
    const db = openDatabase(file);
    try {
      assert.deepEqual(
        db
          .prepare('SELECT row_key, status, substatus, entry_interface, raw_values FROM records ORDER BY id')
          .all(),
        [
          { row_key: 'k1', status: 'OK', substatus: 'DELIVERED', entry_interface: 'rest', raw_values: null },
          {
            row_key: 'k2',
            status: 'ERROR',
            substatus: 'BOUNCED',
            entry_interface: 'smtp',
            raw_values: JSON.stringify({ status: ' error', substatus: 'Bounced', entry_interface: 'SMTP' }),
          },
          { row_key: 'k3', status: null, substatus: null, entry_interface: null, raw_values: null },
        ],
      );
    } finally {
      db.close();
    }
  } finally {
    w.cleanup();
  }
});
