/**
 * Migration 6: the dedupe key's unique index moves from (row_key) to (creation_time_ms, row_key). A
 * case built before it keeps deduping exactly: a re-downloaded export that overlaps the case adds only
 * its new records, whether the append keeps the index in place or rebuilds it.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import { MIGRATIONS, RECORD_INDEXES, currentVersion } from '../../main/engine/db/migrations';
import { openDatabase } from '../../main/engine/db/open';
import { count, importFiles, workspace } from './import-fixture';

const rowKeyColumns = (db: BetterSqlite3.Database): string[] =>
  (
    db.prepare("SELECT name FROM pragma_index_info('records_row_key') ORDER BY seqno").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

const isUnique = (db: BetterSqlite3.Database): boolean =>
  (
    db
      .prepare("SELECT \"unique\" AS u FROM pragma_index_list('records') WHERE name = 'records_row_key'")
      .get() as {
      u: number;
    }
  ).u === 1;

/** A workspace as version 5 left it, holding the records and imports of `source` (same columns). */
function versionFiveCopy(source: string, file: string): void {
  const old = new BetterSqlite3(file);
  for (const m of MIGRATIONS.filter((x) => x.version <= 5)) {
    old.exec(m.sql);
    if (m.version === 1) for (const idx of RECORD_INDEXES) old.exec(idx.sql);
  }
  old.exec(`ATTACH DATABASE '${source.replaceAll("'", "''")}' AS src`);
  old.exec('INSERT INTO imports SELECT * FROM src.imports; INSERT INTO records SELECT * FROM src.records;');
  old.exec('DETACH DATABASE src');
  old.pragma('user_version = 5');
  old.close();
}

test('a version 5 case gets its dedupe index keyed by time and still dedupes an overlapping export', async () => {
  // [new rows]: 40 keeps the dedupe index in place (share ~0.1), 3000 rebuilds it (share ~0.9).
  for (const newRows of [40, 3000]) {
    const w = workspace();
    try {
      const caseRows = [...generateRows({ rows: 400, seed: 42 })];
      const first = path.join(w.dir, 'case.csv');
      writeFileSync(first, toCsv(caseRows));
      await importFiles(w.db, [first]);
      w.db.close();
      const oldFile = path.join(w.dir, 'v5.sqlite');
      versionFiveCopy(w.dbPath, oldFile);
      const before = new BetterSqlite3(oldFile, { readonly: true });
      assert.deepEqual(rowKeyColumns(before), ['row_key'], 'the version 5 index, as shipped');
      before.close();

      const db = openDatabase(oldFile);
      try {
        assert.equal(currentVersion(db), MIGRATIONS[MIGRATIONS.length - 1]?.version);
        assert.deepEqual(rowKeyColumns(db), ['creation_time_ms', 'row_key']);
        assert.equal(isUnique(db), true);
        assert.equal(count(db, 'records'), 400);
        // A re-download: 60 records of the case (same times, same keys) around new ones of later days.
        const fresh = [...generateRows({ rows: newRows, seed: 9, startMs: Date.UTC(2026, 10, 5) })];
        const overlap = path.join(w.dir, 'overlap.csv');
        writeFileSync(overlap, toCsv([...caseRows.slice(200, 260), ...fresh]));
        const r = await importFiles(db, [overlap]);
        assert.equal(r.files[0]?.error, undefined);
        assert.equal(r.files[0]?.imported, newRows, `${newRows}: new rows`);
        assert.equal(r.files[0]?.duplicates, 60, `${newRows}: records already in the case`);
        assert.equal(count(db, 'records'), 400 + newRows);
        assert.deepEqual(rowKeyColumns(db), ['creation_time_ms', 'row_key'], 'the append keeps the new key');
        const distinct = db.prepare('SELECT count(DISTINCT row_key) FROM records').pluck().get();
        assert.equal(distinct, 400 + newRows);
      } finally {
        db.close();
      }
    } finally {
      w.cleanup();
    }
  }
});
