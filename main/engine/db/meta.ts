/**
 * The `meta` key/value table and the coverage mark shared by every structure kept beside `records`
 * for an id range (search vocabulary, summaries, record facts, insights rollup and address tables).
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

/** The meta keys of one structure kept over an id range: how far it covers, and that record's mark. */
export interface CoverageKeys {
  readonly upto: string;
  readonly mark: string;
}

/**
 * Records with id <= the returned value are covered (0: nothing yet, or the records were cleared and
 * ids reused since, which the mark no longer matching tells).
 */
export function coveredUpto(db: Database, keys: CoverageKeys): number {
  const upto = Number(metaGet(db, keys.upto) ?? 0);
  if (upto === 0) return 0;
  return markOf(db, upto) === metaGet(db, keys.mark) ? upto : 0;
}

/** Records with id <= `id` are now covered; call it in the transaction that covered them. */
export function setCoveredUpto(db: Database, keys: CoverageKeys, id: number): void {
  metaSet(db, keys.upto, String(id));
  metaSet(db, keys.mark, markOf(db, id));
}

/**
 * Covers the records above `from` up to id `until` in id chunks, one transaction each: `add(lo, hi)`
 * for the records lo < id <= hi, then the new coverage, so a cancel or a kill between chunks keeps
 * what was covered and the next update goes on from there. A `signal` stops it between chunks:
 * false then, true when every record up to `until` is covered.
 */
export function coverInChunks(
  db: Database,
  keys: CoverageKeys,
  range: { readonly from: number; readonly until: number; readonly chunk: number },
  add: (lo: number, hi: number) => void,
  signal?: AbortSignal,
): boolean {
  for (let lo = range.from; lo < range.until;) {
    if (signal?.aborted) return false;
    const hi = Math.min(range.until, lo + range.chunk);
    const from = lo;
    db.transaction(() => {
      add(from, hi);
      setCoveredUpto(db, keys, hi);
    })();
    lo = hi;
  }
  return true;
}

/**
 * Whether every named schema object exists. Tables, indexes and triggers share one namespace in
 * SQLite, so a name alone tells. Structures created on first use (summaries, record_facts, rollup,
 * search-only indexes) are checked with it before they are read.
 */
export function schemaHas(db: Database, ...names: readonly string[]): boolean {
  const n = db
    .prepare(`SELECT count(*) FROM sqlite_master WHERE name IN (${names.map(() => '?').join(', ')})`)
    .pluck()
    .get(...names) as number;
  return n === names.length;
}

/**
 * Two triggers (named `<prefix>_stale_on_delete` / `_on_restart`) that drop `upto` whenever the
 * summaries' coverage is removed or moves back (records deleted): a structure kept over the same
 * records then starts over from the first record on its next update.
 */
export function staleWithSummaryTriggers(prefix: string, upto: string): string {
  return `
  CREATE TRIGGER IF NOT EXISTS ${prefix}_stale_on_delete AFTER DELETE ON meta
    WHEN old.key = 'summary_upto' BEGIN DELETE FROM meta WHERE key = '${upto}'; END;
  CREATE TRIGGER IF NOT EXISTS ${prefix}_stale_on_restart AFTER UPDATE ON meta
    WHEN new.key = 'summary_upto' AND CAST(new.value AS INTEGER) < CAST(old.value AS INTEGER)
    BEGIN DELETE FROM meta WHERE key = '${upto}'; END;
`;
}
