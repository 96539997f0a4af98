/**
 * An after:/before: term over the page reader's hour codes (column-codes.ts HOUR_CODE_EXPR): which
 * hours pass whole, which fail whole, and, for the hour the term's bound falls inside (a bound off the
 * hour: a minute, a zone like +05:30), which of that hour's records pass, read exactly by SQL along
 * records_time (a few thousand entries at 5M rows).
 *
 * Why: the page reader holds no times, so a time term's set was found by SQL, one row per match:
 * 5M rows, `after:2026-10-20` (1.8M ids) 0.4-0.5 s before the first page of every coded sort and
 * every deeper page (bench query section without shared sets).
 *
 * Exact: a code's records hold the integer times SQLite's integer division puts in its hour (it
 * truncates toward zero, so hour 0 spans both sides of the epoch); NULL times ('xnull') fail a time
 * term and pass its negation, as the compiled SQL does; a time stored as another type (real, text:
 * compared differently) declines the term, and the caller takes SQL.
 */
import type { Database } from 'better-sqlite3';
import type { ColumnCodes } from './column-codes';
import type { SqlPart } from './filter';
import type { SqlValue } from './sql-order';

const HOUR_MS = 3_600_000;

/** Per code: 0 fails, 1 passes, 2 passes for the ids in `exact` only. */
export interface TimeMask {
  readonly mask: Uint8Array;
  readonly exact: ReadonlySet<number>;
}

/** One after:/before: term: its bound, and whether it is negated. */
export interface TimeTerm {
  readonly after: boolean;
  readonly ms: number;
  readonly negate: boolean;
}

/** The times a code's records may hold, [lo, hi]; null: no time; undefined: not an integer hour. */
function span(value: SqlValue): readonly [number, number] | null | undefined {
  if (value === 'xnull') return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return undefined;
  if (value > 0) return [value * HOUR_MS, value * HOUR_MS + HOUR_MS - 1];
  if (value < 0) return [value * HOUR_MS - HOUR_MS + 1, value * HOUR_MS];
  return [-HOUR_MS + 1, HOUR_MS - 1];
}

function passes(term: TimeTerm, t: number): boolean {
  const hit = term.after ? t >= term.ms : t < term.ms;
  return term.negate ? !hit : hit;
}

/**
 * The term's mask over the hour codes, or null where a code is not an integer hour. `where` is the
 * term compiled alone (filter.ts); `upto` the codes' coverage. Call inside the caller's read
 * transaction.
 */
export function timeMask(
  db: Database,
  col: ColumnCodes,
  upto: number,
  term: TimeTerm,
  where: SqlPart,
): TimeMask | null {
  const mask = new Uint8Array(col.values.length);
  const exact = new Set<number>();
  // Code 0 stands for no record: it never passes.
  for (let code = 1; code < col.values.length; code++) {
    const s = span(col.values[code]);
    if (s === undefined) return null;
    if (s === null) {
      // No time: `creation_time_ms >= ?` is NULL, which a term fails and its negation passes
      // (filter-sql.ts not(): NOT ifnull(..., 0)).
      mask[code] = term.negate ? 1 : 0;
      continue;
    }
    const lo = passes(term, s[0]);
    if (lo === passes(term, s[1])) {
      mask[code] = lo ? 1 : 0;
      continue;
    }
    mask[code] = 2;
    const ids = db
      .prepare(`SELECT id FROM records WHERE creation_time_ms BETWEEN ? AND ? AND id <= ? AND (${where.sql})`)
      .pluck()
      .all(s[0], s[1], upto, ...where.params) as number[];
    for (const id of ids) exact.add(id);
  }
  return { mask, exact };
}
