/** Workspace databases for the export tests, filled by a plain insert loop (independent of the importer). */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { COLUMNS } from '../../common/columns';
import { openDatabase } from '../../main/engine/db/open';

export function tempDir(): { readonly dir: string; readonly cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'di-export-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function epoch(text: string): number | null {
  const ms = Date.parse(`${text.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Stores rows given in header order as the importer would: empty text as NULL, integer columns as
 * numbers when they are numbers, timestamps as the original text plus epoch ms.
 */
export function insertRows(db: Database, rows: Iterable<readonly string[]>): number {
  const info = db
    .prepare(
      `INSERT INTO imports (file_name, file_path, file_size, content_hash, encoding, delimiter, header_mapping,
        timezone_assumed, started_at, status) VALUES ('t.csv', 't.csv', 0, 'h', 'utf-8', ',', '[]', 'UTC', 0, 'done')`,
    )
    .run();
  const importId = Number(info.lastInsertRowid);
  const ids = COLUMNS.map((c) => c.id);
  const insert = db.prepare(
    `INSERT INTO records (import_id, line, row_key, creation_time_ms, meta_data_creation_time_ms, ${ids.join(', ')})
     VALUES (?, ?, ?, ?, ?, ${ids.map(() => '?').join(', ')})`,
  );
  let n = 0;
  db.transaction(() => {
    for (const row of rows) {
      n++;
      const values = row.map((v, i) => {
        if (v === '') return null;
        return COLUMNS[i]?.kind === 'integer' && /^-?\d+$/.test(v) ? Number(v) : v;
      });
      insert.run(importId, n + 1, `${importId}:${n}`, epoch(row[0] ?? ''), epoch(row[21] ?? ''), ...values);
    }
  })();
  return n;
}

export function fileDb(dir: string, rows: Iterable<readonly string[]>): Database {
  const db = openDatabase(path.join(dir, 'ws.sqlite'));
  insertRows(db, rows);
  return db;
}
