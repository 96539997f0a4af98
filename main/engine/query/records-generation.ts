/**
 * What the readers' per-search caches (paging.ts: counts, keyset anchors, id sets and what is read
 * for them) are kept for. They used to be dropped on every commit to the workspace (PRAGMA
 * data_version), and the renderer commits on its own during a search: the recent-searches list and
 * the column layout are settings, stored in `meta`. Measured in the browser bench (1M rows, under
 * load): `jane` found its id set three times per search, once each for count, facets and histogram,
 * because the previous search's settings write landed in between.
 *
 * The fingerprint changes whenever the records can have changed:
 * - an insert always raises max(id) (rowids are allocated above the largest one), unless the same
 *   transaction deleted the top rows, which bumps the generation below;
 * - a delete or update of records bumps `records_generation` in meta in its own transaction
 *   (removeImportRows; an import's in-file duplicates go in the import's transaction, which raises
 *   max(id) if any of its rows is kept and leaves the records as they were otherwise);
 * - every other meta value (coverage of the vocabulary, summaries, record_facts) is part of it too:
 *   those choose the plans and the id set's size limit, so a cache found before an update does not
 *   keep the slower plan afterwards.
 * Settings (keys `setting:*`, workspace.ts) are the only commits it leaves out.
 */
import type { Database } from 'better-sqlite3';
import { metaGet } from '../db/meta';
import { SETTING_KEY_PREFIX } from '../workspace';

export const RECORDS_GENERATION_KEY = 'records_generation';

/** The records generation now ('0' before the first removal); in-memory copies belong to one. */
export function recordsGeneration(db: Database): string {
  return metaGet(db, RECORDS_GENERATION_KEY) ?? '0';
}

/** The largest record id now (0 when empty): records are only added above it within a generation. */
export function maxRecordId(db: Database): number {
  return db.prepare('SELECT ifnull(max(id), 0) FROM records').pluck().get() as number;
}

/** Called inside the transaction that deletes or updates records (inserts need not: see above). */
export function bumpRecordsGeneration(db: Database): void {
  db.prepare(
    `INSERT INTO meta(key, value) VALUES (?, '1')
     ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`,
  ).run(RECORDS_GENERATION_KEY);
}

/** Changes when this or any other connection commits; recordsFingerprint then tells whether records did. */
export function dataVersion(db: Database): string {
  const v = db.pragma('data_version', { simple: true }) as number;
  const c = (db.prepare('SELECT total_changes() AS c').get() as { c: number }).c;
  return `${v}:${c}`;
}

/** Equal for two reads iff no record (or derived structure's coverage) changed in between; see above. */
export function recordsFingerprint(db: Database): string {
  // meta holds a dozen rows besides the settings; one read of ~20 us, done only after a commit.
  const row = db
    .prepare(
      `SELECT (SELECT max(id) FROM records) AS top,
              (SELECT group_concat(key || '=' || value, char(31))
                 FROM (SELECT key, value FROM meta WHERE substr(key, 1, ?) <> ? ORDER BY key)) AS meta`,
    )
    .get(SETTING_KEY_PREFIX.length, SETTING_KEY_PREFIX) as { top: number | null; meta: string | null };
  return `${row.top ?? 0}\u001f${row.meta ?? ''}`;
}

/** An in-memory copy of records up to `upto`, belonging to one records generation. */
export interface GenerationCopy {
  readonly generation: string;
  upto: number;
}

/**
 * This connection's copy in `copies` if it belongs to the current generation and covers no more than
 * `upto` (the records it may hold), else a `fresh` one put in its place; null (and the copy dropped)
 * when there is nothing to hold. For the idle load steps of the readers' in-memory copies.
 */
export function currentCopy<C extends GenerationCopy>(
  db: Database,
  copies: WeakMap<Database, C>,
  upto: number,
  fresh: (generation: string) => C,
): C | null {
  const generation = recordsGeneration(db);
  const kept = copies.get(db);
  if (kept !== undefined && kept.generation === generation && kept.upto <= upto) return kept;
  if (upto === 0) {
    copies.delete(db);
    return null;
  }
  const made = fresh(generation);
  copies.set(db, made);
  return made;
}
