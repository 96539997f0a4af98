import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { WorkspaceInfo } from '../../common/contract';

/** Set by the importer once the substring index covers every record; cleared while it is stale. */
export const SEARCH_INDEX_READY_KEY = 'search_index_ready';

/** Settings live in meta under this prefix; commits of them leave the readers' caches (records-generation.ts). */
export const SETTING_KEY_PREFIX = 'setting:';

export function getSetting(db: Database, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(`${SETTING_KEY_PREFIX}${key}`) as
    { value: string } | undefined;
  return row ? row.value : null;
}

export function setSetting(db: Database, key: string, value: string): void {
  db.prepare(
    'INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(`${SETTING_KEY_PREFIX}${key}`, value);
}

export function isSearchIndexReady(db: Database): boolean {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(SEARCH_INDEX_READY_KEY) as
    { value: string } | undefined;
  return row?.value === '1';
}

export function workspaceInfo(db: Database, file: string): WorkspaceInfo {
  const records = (db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
  const imports = (
    db.prepare("SELECT count(*) AS n FROM imports WHERE status = 'done'").get() as { n: number }
  ).n;
  const sqliteVersion = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  return {
    path: file,
    name: path.basename(file).replace(/\.sqlite$/i, ''),
    records,
    imports,
    searchIndexReady: isSearchIndexReady(db),
    sqliteVersion,
  };
}
