/**
 * Versioned schema. Each migration runs once, in order, inside a transaction, and bumps
 * `PRAGMA user_version`; never edit a migration that has shipped, add a new one.
 */
import type { Database } from 'better-sqlite3';
import { foldStoredEnums } from './migrate-enums';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
  /** A data step in JS after the SQL, inside the same transaction. */
  readonly after?: (db: Database) => void;
}

/**
 * B-tree indexes on `records`. Kept as a list so the importer can drop them before a bulk load
 * into an empty table and rebuild them afterwards (much faster than maintaining them row by row).
 * Chosen for the grid's queries: enum filter + newest first, time ranges, drilldown, lookups.
 */
export const RECORD_INDEXES: readonly { name: string; sql: string }[] = [
  { name: 'records_time', sql: 'CREATE INDEX IF NOT EXISTS records_time ON records(creation_time_ms, id)' },
  {
    name: 'records_status_time',
    sql: 'CREATE INDEX IF NOT EXISTS records_status_time ON records(status, creation_time_ms)',
  },
  {
    name: 'records_substatus_time',
    sql: 'CREATE INDEX IF NOT EXISTS records_substatus_time ON records(substatus, creation_time_ms)',
  },
  {
    name: 'records_details_time',
    sql: 'CREATE INDEX IF NOT EXISTS records_details_time ON records(status_details, creation_time_ms)',
  },
  {
    name: 'records_to',
    sql: 'CREATE INDEX IF NOT EXISTS records_to ON records(lower(message_to), creation_time_ms, message_to)',
  },
  {
    name: 'records_to_domain',
    sql: 'CREATE INDEX IF NOT EXISTS records_to_domain ON records(lower(message_to_domain), message_to_domain)',
  },
  {
    name: 'records_correlation',
    sql: 'CREATE INDEX IF NOT EXISTS records_correlation ON records(correlation_id, creation_time_ms, version)',
  },
  { name: 'records_job', sql: 'CREATE INDEX IF NOT EXISTS records_job ON records(job_id)' },
];

/** The indexes on lower-cased addresses and domains, as migration 3 recreates them. */
const FOLDED_INDEX_SQL = RECORD_INDEXES.filter(
  (i) => i.name === 'records_to' || i.name === 'records_to_domain',
)
  .map((i) => `${i.sql};`)
  .join('\n');

/**
 * The dedupe key's unique index. Creation time first: row_key is a hash, so an index on it alone puts
 * every new record at a random place and an append rewrites nearly all of its pages (30k rows into a
 * 1M-row case: ~30 MB of WAL). An export of later days lands at the end of this one instead. Dedupe
 * stays exact: a record's row_key covers its creation time, so a repeated record repeats both, and
 * Creation Time is required (a row without one is rejected), so the time is never NULL.
 */
export const ROW_KEY_INDEX_SQL = 'CREATE UNIQUE INDEX records_row_key ON records(creation_time_ms, row_key)';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'imports, records, rejected rows',
    sql: `
      CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        file_name TEXT NOT NULL,
        file_path TEXT NOT NULL,
        file_size INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        encoding TEXT NOT NULL,
        delimiter TEXT NOT NULL,
        header_mapping TEXT NOT NULL,      -- JSON: [{header, column|null}]
        timezone_assumed TEXT NOT NULL,
        started_at INTEGER NOT NULL,       -- epoch ms
        finished_at INTEGER,
        rows_imported INTEGER NOT NULL DEFAULT 0,
        rows_duplicate INTEGER NOT NULL DEFAULT 0,
        rows_rejected INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled'))
      );

      CREATE TABLE records (
        id INTEGER PRIMARY KEY,
        import_id INTEGER NOT NULL REFERENCES imports(id),
        line INTEGER NOT NULL,             -- 1-based physical line where the record starts
        row_key TEXT NOT NULL,             -- dedupe key: hash of the canonical values
        creation_time TEXT,                -- original text, for export
        creation_time_ms INTEGER,          -- epoch ms, for sort and ranges
        message_from TEXT,
        message_to TEXT,
        message_from_domain TEXT,
        message_to_domain TEXT,
        usage_id TEXT,
        message_size INTEGER,
        status TEXT,
        substatus TEXT,
        status_details TEXT,
        smtp_status_code TEXT,
        smtp_code INTEGER,                 -- basic reply code parsed from smtp_status_code (e.g. 550)
        smtp_enhanced TEXT,                -- enhanced code parsed from smtp_status_code (e.g. 5.1.1)
        reference_job TEXT,
        correlation_id TEXT,
        job_id TEXT,
        cost_center TEXT,
        provisioning_id TEXT,
        tenant TEXT,
        technical_account_id TEXT,
        campaign_id TEXT,
        meta_data_id TEXT,
        version INTEGER,
        meta_data_creation_time TEXT,
        meta_data_creation_time_ms INTEGER,
        entry_interface TEXT,
        processing_region TEXT,
        extra TEXT                         -- JSON object of unknown extra columns, or NULL
      );
      CREATE UNIQUE INDEX records_row_key ON records(row_key);

      CREATE TABLE rejected_rows (
        id INTEGER PRIMARY KEY,
        import_id INTEGER NOT NULL REFERENCES imports(id),
        line INTEGER NOT NULL,
        column_name TEXT,                  -- header of the offending field, when one is to blame
        reason TEXT NOT NULL,
        raw TEXT NOT NULL                  -- capped at 4 KiB
      );
      CREATE INDEX rejected_rows_import ON rejected_rows(import_id, line);

      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    description: 'substring search vocabulary (distinct values + FTS5 trigram over them)',
    // One row per distinct value of each searchable text column (col = SEARCH_COLUMNS index in
    // query/search-index.ts). The trigram index covers these values only, far fewer than records.
    // detail=none keeps it small and quick to build; queries re-check matches with LIKE.
    sql: `
      CREATE TABLE search_vocab (id INTEGER PRIMARY KEY, col INTEGER NOT NULL, value TEXT NOT NULL, UNIQUE (col, value));
      CREATE VIRTUAL TABLE search_vocab_fts USING fts5(
        value, content = 'search_vocab', content_rowid = 'id', tokenize = 'trigram', detail = 'none'
      );
    `,
  },
  {
    version: 3,
    description: 'addresses and domains indexed on lower(column) instead of COLLATE NOCASE',
    // The same case-insensitive order (both fold ASCII letters only), but the index sorts with plain
    // byte comparisons: on 1M rows records_to builds in ~0.65 s instead of ~0.9-1.1 s. The column
    // itself comes last so the index covers queries on lower(column): SQLite counts an expression
    // index as covering only when the columns inside the expression are in it (the vocabulary's
    // GROUP BY then reads 0.4 s instead of fetching every row, 6 s).
    sql: `
      DROP INDEX IF EXISTS records_to;
      DROP INDEX IF EXISTS records_to_domain;
      ${FOLDED_INDEX_SQL}
    `,
  },
  {
    version: 4,
    description: 'enum values folded to their documented spelling, originals kept; failed imports recorded',
    // raw_values: JSON {column: text as in the file} for the enum values whose stored (canonical)
    // spelling differs, NULL otherwise (nearly always, so it costs nothing); export writes it back.
    // imports.error: why a failed or cancelled import stopped (its rows were rolled back).
    sql: `
      ALTER TABLE records ADD COLUMN raw_values TEXT;
      ALTER TABLE imports ADD COLUMN error TEXT;
    `,
    after: (db) => {
      foldStoredEnums(db);
    },
  },
  {
    version: 5,
    description:
      'perf: counts per hour and per facet combination (status, substatus, details, code, region, interface)',
    // Kept by query/summary.ts after each import (records up to meta summary_upto). NULL is stored as
    // '' (or -1 for the code) so that the primary key treats missing values as one group.
    sql: `
      CREATE TABLE summary_hour (
        hour INTEGER NOT NULL,             -- floor(creation_time_ms / 3600000); -1e12 without a time
        status TEXT NOT NULL,
        substatus TEXT NOT NULL,
        status_details TEXT NOT NULL,
        smtp_code INTEGER NOT NULL,
        processing_region TEXT NOT NULL,
        entry_interface TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (hour, status, substatus, status_details, smtp_code, processing_region, entry_interface)
      ) WITHOUT ROWID;
      -- The same without the hour and with the recipient domain: the seven facets of a filter without time.
      CREATE TABLE summary_facets (
        status TEXT NOT NULL,
        substatus TEXT NOT NULL,
        status_details TEXT NOT NULL,
        smtp_code INTEGER NOT NULL,
        processing_region TEXT NOT NULL,
        entry_interface TEXT NOT NULL,
        message_to_domain TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (status, substatus, status_details, smtp_code, processing_region, entry_interface, message_to_domain)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    description:
      'perf: dedupe key indexed by creation time, then row_key (an append of later days lands at its end)',
    // Measured, SQLite's inserts of 30k new rows into a 1M-row case: CPU 1.7-2.4 s -> 1.3-1.7 s.
    sql: `
      DROP INDEX IF EXISTS records_row_key;
      ${ROW_KEY_INDEX_SQL};
    `,
  },
  {
    version: 7,
    description:
      "perf: the readers' kept memories move to a rowid table (query/memory-cache.ts); the WITHOUT ROWID one read its blobs on every lookup",
    // Only a cache: the next import or idle load keeps the memories again.
    sql: 'DROP TABLE IF EXISTS memory_cache;',
  },
];

export function currentVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every pending migration; returns the versions applied. */
export function migrate(db: Database): number[] {
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= currentVersion(db)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.after?.(db);
      if (m.version === 1) for (const idx of RECORD_INDEXES) db.exec(idx.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
