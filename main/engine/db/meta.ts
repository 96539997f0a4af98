/**
 * The `meta` key/value table and the coverage mark shared by every structure kept beside `records`
 * for an id range (search vocabulary, summaries, insights rollup).
 */
import type { Database } from 'better-sqlite3';

export function metaGet(db: Database, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? row.value : null;
}

export function metaSet(db: Database, key: string, value: string): void {
  db.prepare(
    'INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

/** row_key of the last record at or below `id`: tells whether records were cleared and ids reused since. */
export function markOf(db: Database, id: number): string {
  const row = db.prepare('SELECT row_key FROM records WHERE id <= ? ORDER BY id DESC LIMIT 1').get(id) as
    { row_key: string } | undefined;
  return row ? row.row_key : '';
}
