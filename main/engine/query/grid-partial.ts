/**
 * The grid indexes over keys in random order, `records_to`, `records_to_domain` and
 * `records_correlation`, as partial indexes (partial-index.ts). Why (README, "Growing cases"): kept in
 * place, an append paid an entry on most of their leaves (30k rows into 1M: ~0.7 s of CPU for
 * records_to alone, one row per statement for the expression indexes); dropped and rebuilt, it read
 * all of the case before grid-ready (300k into 1M: 4.6-7 s). As partial indexes an append leaves them
 * untouched and the search-index phase rebuilds them after grid-ready once the delta passes SHARE.
 * A fresh import builds them with K = the last id, before grid-ready: the grid's sorts by To, Domain
 * and Correlation ID read them.
 */
import type { Database } from 'better-sqlite3';
import { RECORD_INDEXES } from '../db/migrations';
import {
  partialIndexSql,
  partialIndexUpto,
  perSide,
  splitAtBound,
  type PartialIndexDef,
} from './partial-index';

/**
 * Share of the case above K from which the search-index phase rebuilds them. Every point reader
 * (lookup, drilldown, typo hints, a page of one address) scans the delta by rowid range once per
 * statement, so it is kept small. Measured under load on the 1M-row case with a 30k delta vs whole
 * indexes: a batch lookup of 10 addresses 205 vs 2 ms, page 5000 sorted by To 656 vs 6 ms, a
 * `domain:` page 169 vs 11 ms; drilldown 22 vs 18 ms. At 1 % an append of more than ~10k rows into
 * a 1M-row case has them rebuilt in the search-index phase, after grid-ready.
 */
const SHARE = 0.01;

/** The index's columns as migrations.ts creates it (one source of truth for the key). */
function defOf(name: string): PartialIndexDef {
  const sql = RECORD_INDEXES.find((i) => i.name === name)?.sql ?? '';
  const columns = /ON records\((.*)\)\s*$/.exec(sql)?.[1];
  if (columns === undefined) throw new Error(`no index ${name} in RECORD_INDEXES`);
  return { name, columns, share: SHARE };
}

export const TO_INDEX = defOf('records_to');
export const DOMAIN_INDEX = defOf('records_to_domain');
export const CORRELATION_INDEX = defOf('records_correlation');
/**
 * The search-only indexes over the SMTP reply text and the usage ID (search-index.ts builds them
 * after grid-ready): random keys too, kept in place by a small append (~0.2 and ~0.3 s of CPU for
 * 30k rows into 1M). Their columns spelled here: DEFERRED_INDEXES imports this module.
 */
export const SMTP_INDEX: PartialIndexDef = {
  name: 'records_smtp',
  columns: 'smtp_status_code',
  share: SHARE,
};
export const USAGE_INDEX: PartialIndexDef = { name: 'records_usage', columns: 'usage_id', share: SHARE };
export const GRID_PARTIAL: readonly PartialIndexDef[] = [
  TO_INDEX,
  DOMAIN_INDEX,
  CORRELATION_INDEX,
  SMTP_INDEX,
  USAGE_INDEX,
];

export function isGridPartial(name: string): boolean {
  return GRID_PARTIAL.some((d) => d.name === name);
}

/** The bounds of the indexes (null: missing, WHOLE: an old workspace's index). */
export interface GridBounds {
  readonly to: number | null;
  readonly domain: number | null;
  readonly correlation: number | null;
  readonly smtp: number | null;
  readonly usage: number | null;
  /**
   * max(id) read inside the caller's read transaction (set only there): an index with no record above
   * its bound in that snapshot is read without the delta (splitAtBound).
   */
  readonly snapshotMax?: number;
}

export function gridBounds(db: Database): GridBounds {
  return {
    to: partialIndexUpto(db, TO_INDEX.name),
    domain: partialIndexUpto(db, DOMAIN_INDEX.name),
    correlation: partialIndexUpto(db, CORRELATION_INDEX.name),
    smtp: partialIndexUpto(db, SMTP_INDEX.name),
    usage: partialIndexUpto(db, USAGE_INDEX.name),
  };
}

/** The statement that builds a grid index in a load: the partial ones up to the last id now. */
export function gridIndexBuildSql(db: Database, idx: { name: string; sql: string }): string {
  const def = GRID_PARTIAL.find((d) => d.name === idx.name);
  if (def === undefined) return idx.sql;
  const maxId = (db.prepare('SELECT ifnull(max(id), 0) AS m FROM records').get() as { m: number }).m;
  return partialIndexSql(def, maxId);
}

/** The bound of the partial index a comparison on `column` seeks (null: none of them). */
export function columnBound(bounds: GridBounds | undefined, column: string): number | null {
  if (bounds === undefined) return null;
  if (column === 'message_to') return bounds.to;
  if (column === 'message_to_domain') return bounds.domain;
  if (column === 'correlation_id') return bounds.correlation;
  if (column === 'smtp_status_code') return bounds.smtp;
  if (column === 'usage_id') return bounds.usage;
  return null;
}

/**
 * A predicate that one of these indexes serves, split at its bound (splitAtBound), for a statement
 * prepared once and run with several values: `bind` repeats the predicate's own parameters per side.
 */
export function splitPredicate(
  db: Database,
  def: PartialIndexDef,
  sql: string,
): { readonly sql: string; readonly bind: <T>(...params: T[]) => T[] } {
  const upto = partialIndexUpto(db, def.name);
  return { sql: splitAtBound(upto, { sql, params: [] }).sql, bind: (...params) => perSide(upto, params) };
}
