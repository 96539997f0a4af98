/**
 * The summaries' and the insights rollup's counts of an id range, read from `record_facts` (id, time,
 * combination id; ~17 bytes a record) instead of `records` (~900 bytes).
 *
 * Why: summary_hour, summary_domain_hour and insights_domain_hour each scanned the new records and
 * sorted every one of them by 4-7 text keys (1M rows: ~3.3 s for the summaries, ~1.5 s for the
 * rollup's hours, most of it in the sorter), after record_facts had already reduced each record to
 * its hour and combination. Here the range is grouped once by (hour, combination): 1M records become
 * ~225k rows sorted by two integers, and each table is a small grouped join of those rows with
 * fact_combos, whose columns hold the same NULL sentinels as the summaries (combo-keys.ts).
 *
 * Used only where record_facts covers the whole range (the writer fills it first); otherwise the
 * callers read `records` as before, so an old workspace or an emptied record_facts stays exact.
 */
import type { Database, Statement } from 'better-sqlite3';
import { factsCoverage } from './record-facts';

const GROUPED = 'temp.facts_hour_combo';

/** Hour of a time column, rounded down also before 1970; `none` for a record without a time. */
export function hourOfColumn(column: string, hourMs: number, none: number): string {
  return `ifnull(${column} / ${hourMs} - (${column} % ${hourMs} < 0), ${none})`;
}

/** Groupings kept by range while the summaries and the rollup are updated together (shareHourGroups). */
const KEPT = 'temp.facts_hour_kept';

/** Connections inside shareHourGroups. */
const sharing = new WeakSet<Database>();

/**
 * Runs `update` (the summaries', then the rollup's update: neither writes record_facts) with each
 * range's grouping kept, so the second caller of a range copies it instead of grouping it again.
 * Both chunk their ranges alike (500k ids from the same coverage after an import). Measured on the
 * 5M-row case: 20 groupings, 12.8 s of CPU (0.64 s each, under load), half of them repeats.
 */
export function shareHourGroups<T>(db: Database, update: () => T): T {
  sharing.add(db);
  try {
    return update();
  } finally {
    sharing.delete(db);
    if (db.prepare("SELECT 1 FROM temp.sqlite_master WHERE name = 'facts_hour_kept'").get() !== undefined)
      db.exec(`DELETE FROM ${KEPT}`);
  }
}

/**
 * Groups the records of `(from, to]` by hour and combination into a temp table, when record_facts
 * covers that range; false (nothing done) when it does not.
 */
export function groupFactsByHour(
  db: Database,
  from: number,
  to: number,
  hourMs: number,
  noHour: number,
): boolean {
  if (factsCoverage(db) < to) return false;
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS facts_hour_combo (hour INTEGER, cid INTEGER, n INTEGER)`);
  db.exec(`DELETE FROM ${GROUPED}`);
  const range = [from, to, hourMs, noHour];
  const share = sharing.has(db);
  if (share) {
    db.exec(
      'CREATE TEMP TABLE IF NOT EXISTS facts_hour_kept (lo INTEGER, hi INTEGER, unit INTEGER, none INTEGER, hour INTEGER, cid INTEGER, n INTEGER)',
    );
    const kept = `FROM ${KEPT} WHERE lo = ? AND hi = ? AND unit = ? AND none = ?`;
    // A repeat: taken (and dropped, each range has two callers) rather than grouped again.
    if (db.prepare(`INSERT INTO ${GROUPED} SELECT hour, cid, n ${kept}`).run(...range).changes > 0) {
      db.prepare(`DELETE ${kept}`).run(...range);
      return true;
    }
  }
  db.prepare(
    `INSERT INTO ${GROUPED} SELECT ${hourOfColumn('t', hourMs, noHour)}, cid, count(*)
     FROM record_facts WHERE id > ? AND id <= ? GROUP BY 1, 2`,
  ).run(from, to);
  if (share) db.prepare(`INSERT INTO ${KEPT} SELECT ?, ?, ?, ?, hour, cid, n FROM ${GROUPED}`).run(...range);
  return true;
}

/**
 * `INSERT INTO <table> (<columns>, n) SELECT <exprs>, sum(n) ... GROUP BY ... ON CONFLICT add`, over
 * the grouped rows joined with their combinations. `exprs` name `g.hour` and `c.<combo column>`.
 * (`WHERE 1`: SQLite's upsert after a join needs a WHERE to parse.)
 */
export function insertFromGrouped(
  db: Database,
  table: string,
  columns: readonly string[],
  exprs: readonly string[],
): Statement {
  return db.prepare(
    `INSERT INTO ${table} (${columns.join(', ')}, n)
     SELECT ${exprs.join(', ')}, sum(g.n) FROM ${GROUPED} g JOIN fact_combos c ON c.cid = g.cid
     WHERE 1 GROUP BY ${exprs.map((_, i) => i + 1).join(', ')}
     ON CONFLICT DO UPDATE SET n = n + excluded.n`,
  );
}
