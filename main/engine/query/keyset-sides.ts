/**
 * Keyset pages sorted by To, Domain, Correlation ID, SMTP reply or Usage ID read the sort key's partial index
 * (grid-partial.ts), which holds the records up to its bound only. A page is then the first rows of
 * two sorted runs merged: the index part (`id <= K`, read in key order) and the delta (`id > K`, read
 * by rowid and sorted), each limited to the rows the page could take from it (skip + limit), the
 * union ordered by the same (key, id) and cut to the page. Exact whatever K is: every id is on one side.
 */
import type { Database } from 'better-sqlite3';
import type { Param, SqlPart } from './filter';
import { CORRELATION_INDEX, DOMAIN_INDEX, SMTP_INDEX, TO_INDEX, USAGE_INDEX } from './grid-partial';
import { partialIndexUpto, perSide, sidesOf, unionOfSides } from './partial-index';

const INDEX_OF_KEY: Readonly<Record<string, string>> = {
  'lower(message_to)': TO_INDEX.name,
  'lower(message_to_domain)': DOMAIN_INDEX.name,
  correlation_id: CORRELATION_INDEX.name,
  smtp_status_code: SMTP_INDEX.name,
  usage_id: USAGE_INDEX.name,
};

/** The bound of the partial index a sort by `expr` reads (null: none, or a whole index). */
export function keysetBound(db: Database, expr: string | undefined): number | null {
  const index = expr === undefined ? undefined : INDEX_OF_KEY[expr];
  return index === undefined ? null : partialIndexUpto(db, index);
}

/**
 * `SELECT <cols>, <key> AS __k FROM records WHERE <cond> ORDER BY <order> LIMIT ? OFFSET ?` as the
 * merge of the index's two sides; the plain statement when there is one side. `outerOrder` is
 * `order` over the result columns (`__k` for the key).
 */
export function keysetPageSql(
  upto: number | null,
  head: string,
  cond: SqlPart,
  order: string,
  outerOrder: string,
  limit: number,
  skip: number,
): { readonly sql: string; readonly params: Param[] } {
  if (sidesOf(upto).length === 1)
    return {
      sql: `${head} WHERE ${cond.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
      params: [...cond.params, limit, skip],
    };
  const side = (s: string): string => `${head} WHERE ${s} AND (${cond.sql}) ORDER BY ${order} LIMIT ?`;
  return {
    sql: `${unionOfSides(upto, side)} ORDER BY ${outerOrder} LIMIT ? OFFSET ?`,
    params: [...perSide(upto, [...cond.params, limit + skip]), limit, skip],
  };
}
