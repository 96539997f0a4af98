// STUB (owned by the query-engine work): substring-search index maintenance, called by the importer
// after an import's rows are committed (separate transaction; the grid is usable before it finishes).
import type { Database } from 'better-sqlite3';

/** Brings the substring index up to date with every committed record; sets meta search_index_ready = '1'. */
export function updateSearchIndex(_db: Database, _signal?: AbortSignal): void {}
