/**
 * Which B-tree indexes a load maintains row by row and which it drops and builds once afterwards.
 * Into an empty table every index is dropped (a sorted build is far cheaper than inserts). Into an
 * existing case it depends on the index and on the share of the case the new rows will make up:
 * - an index whose new keys land at the end of a few runs (time-ordered keys, a handful of domains)
 *   costs next to nothing per row in place, while a rebuild re-reads the whole table: kept;
 * - an index over keys in random order (addresses, correlation IDs, SMTP texts) costs ~2-5 µs per
 *   new row in place, several times more once its pages no longer fit the cache, against ~0.3-0.7 µs
 *   per row of the whole case for a rebuild: dropped when the new rows are a large enough share.
 * Measured (README, "Growing cases"): the break-even shares below.
 */
import type { Database } from 'better-sqlite3';
import { schemaHas } from '../db/meta';
import { RECORD_INDEXES } from '../db/migrations';
import { DEFERRED_INDEXES } from '../query/search-index';
import { isGridPartial } from '../query/grid-partial';
import { partialIndexUpto, WHOLE } from '../query/partial-index';

export interface IndexDef {
  readonly name: string;
  readonly sql: string;
}

/** The dedupe key's index; unique, so a rebuild also finds duplicates (see rebuildRowKeyIndex). */
export const ROW_KEY_INDEX = 'records_row_key';

/** Break-even share of the indexes over keys in random order (addresses, IDs, SMTP texts). */
const RANDOM_KEYS = 0.15;

/**
 * Share of new rows in the grown case from which a rebuild beats maintenance in place. Indexes not
 * listed are rebuilt from RANDOM_KEYS on.
 */
const BREAK_EVEN: Readonly<Record<string, number>> = {
  // New rows usually come later than the case: appended at the end of each run, cheap in place.
  records_time: 0.6,
  records_status_time: 0.6,
  records_substatus_time: 0.6,
  records_details_time: 0.6,
  // A few thousand distinct values; each new row joins the end of its value's run. Cheap in place,
  // but it is an expression index (see IndexPlan.singleRow): kept, every row costs a statement of
  // its own, so it is rebuilt with the random-key indexes (measured in README, "Growing cases").
  records_to_domain: RANDOM_KEYS,
  // Domain, then time: new rows join the end of their domain's run, as above (measured alone, 30k
  // rows into the 1M-row case: +2 MB of WAL and no measurable CPU in place; rebuilt: the whole case).
  records_domain_time: 0.6,
  // Enhanced code, then time, over the replies that carry one: as above.
  records_enhanced: 0.6,
  records_job: 0.5,
  // Creation time, then the hash (migration 6): like the time-ordered keys above. A rebuild also has
  // to find the duplicates (rebuildRowKeyIndex), so in place is the cheaper side even more.
  [ROW_KEY_INDEX]: 0.6,
};

export interface IndexPlan {
  /** Grid indexes and the dedupe key: dropped now, built inside the load's transaction. */
  readonly rebuild: readonly IndexDef[];
  /** Whether the dedupe key is among them (duplicates are then removed when it is rebuilt). */
  readonly rowKey: boolean;
  /** Search-only indexes dropped now; the search-index phase builds them after the commit. */
  readonly deferred: readonly IndexDef[];
  /** Estimated share of new rows in the case after the load (1: empty table). */
  readonly share: number;
  /** Whether existing index pages are changed row by row (some index is kept). */
  readonly inPlace: boolean;
  /**
   * Whether an index on an expression (lower(address), lower(domain)) is kept in place or is a
   * partial one the rows pass by (grid-partial.ts). Rows then go
   * in one per statement: with such an index a multi-row INSERT OR IGNORE opens a statement journal,
   * which copies every existing page the statement touches (measured, 30k rows into a 300k case:
   * 3.4 GB of temp-file writes; single-row statements: sys 1.06 s -> 0.39 s, user 1.48 s -> 0.88 s).
   * With plain-column indexes only, SQLite writes no statement journal at all (measured: no journal
   * file opened), so rows go 32 per statement, as into an empty case.
   */
  readonly singleRow: boolean;
}

/** Indexes with an expression among their columns (e.g. lower(message_to)). */
const EXPRESSION_INDEXES = new Set(
  [...RECORD_INDEXES, ...DEFERRED_INDEXES].filter((i) => /ON records\(.*\(/.test(i.sql)).map((i) => i.name),
);

/** Bytes per row of the case's earlier files (their own export format), or a typical figure. */
function bytesPerRow(db: Database): number {
  const r = db
    .prepare(
      `SELECT sum(file_size) AS bytes, sum(rows_imported + rows_duplicate + rows_rejected) AS rows
       FROM imports WHERE status = 'done'`,
    )
    .get() as { bytes: number | null; rows: number | null };
  return r.bytes !== null && r.rows !== null && r.rows > 0 ? r.bytes / r.rows : 300;
}

/** Rows already in the case; 0 for an empty table (whatever the imports table says). */
function caseRows(db: Database): number {
  if (db.prepare('SELECT 1 FROM records LIMIT 1').get() === undefined) return 0;
  // The imports' counts, not count(*): that would read a whole index (~0.25 s at 5M rows).
  const n = (
    db.prepare("SELECT ifnull(sum(rows_imported), 0) AS n FROM imports WHERE status = 'done'").get() as {
      n: number;
    }
  ).n;
  return Math.max(1, n);
}

/** Estimated new-row share of a file of `fileBytes` loaded into the case. */
export function newRowShare(db: Database, fileBytes: number): number {
  const existing = caseRows(db);
  if (existing === 0) return 1;
  const incoming = fileBytes / bytesPerRow(db);
  return incoming / (existing + incoming);
}

/** Chooses by break-even share; `share` overrides the estimate (tests reach every path with it). */
export function planIndexes(db: Database, fileBytes: number, share?: number): IndexPlan {
  const s = share ?? newRowShare(db, fileBytes);
  const due = (i: IndexDef): boolean => s >= (BREAK_EVEN[i.name] ?? RANDOM_KEYS);
  // Rows above a partial index's bound get no entry in it (partial-index.ts): an append neither
  // rebuilds such an index nor changes it; the search-index phase moves its bound later.
  const bounded = (name: string): boolean => {
    const upto = s < 1 ? partialIndexUpto(db, name) : null;
    return upto !== null && upto !== WHOLE;
  };
  // A grid index or the dedupe key that is missing (an earlier load stopped short) is built either way.
  const grid = (i: IndexDef): boolean =>
    !(isGridPartial(i.name) && bounded(i.name)) && (due(i) || !schemaHas(db, i.name));
  const rebuild = RECORD_INDEXES.filter(grid);
  const rowKey = grid({ name: ROW_KEY_INDEX, sql: '' });
  const deferred = DEFERRED_INDEXES.filter((i) => due(i) && !bounded(i.name));
  const dropped = new Set([...rebuild, ...deferred].map((i) => i.name));
  if (rowKey) dropped.add(ROW_KEY_INDEX);
  const present = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'").all() as {
      name: string;
    }[]
  ).map((i) => i.name);
  const kept = present.filter((name) => !dropped.has(name) && !bounded(name));
  return {
    rebuild,
    rowKey,
    deferred,
    share: s,
    inPlace: s < 1 && kept.length > 0,
    // A partial expression index counts too, though the new rows add no entry to it: SQLite opens
    // the statement journal for any expression index on the table (measured on the 1M-row case,
    // grid-ready CPU: 30k rows 2.3 s one per statement vs 3.0 s 32 per statement; 300k rows 7.1 vs
    // 12.1 s, under load).
    singleRow: s < 1 && [...kept, ...present.filter(bounded)].some((name) => EXPRESSION_INDEXES.has(name)),
  };
}

/** Drops what the plan rebuilds; inside the load's transaction, so a rollback brings them back. */
export function dropPlanned(db: Database, plan: IndexPlan): void {
  for (const idx of [...plan.rebuild, ...plan.deferred]) db.exec(`DROP INDEX IF EXISTS ${idx.name}`);
  if (plan.rowKey) db.exec(`DROP INDEX IF EXISTS ${ROW_KEY_INDEX}`);
}
