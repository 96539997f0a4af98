/**
 * The records with lo < id <= hi as JSON arrays, one string per column instead of a row object per
 * record: the page reader's value codes and bucket codes load their steps through it (as
 * facts-memory.ts reads record_facts).
 */
import type { Database } from 'better-sqlite3';
import type { SqlValue } from './sql-order';

export interface ColumnRead {
  /** The records' ids, ascending. */
  readonly ids: number[];
  /** Values of exprs[c], in the order of ids (parsed when asked: a column dropped meanwhile is not). */
  readonly values: (c: number) => SqlValue[];
}

/** `exprs` are sort expressions from the caller's whitelist (column-codes.ts, unique-codes.ts). */
export function readColumns(db: Database, exprs: readonly string[], lo: number, hi: number): ColumnRead {
  const sql = `SELECT json_group_array(id), ${exprs.map((e) => `json_group_array(${e})`).join(', ')}
    FROM records WHERE id > ? AND id <= ?`;
  const row = db.prepare(sql).raw().get(lo, hi) as string[];
  return {
    ids: JSON.parse(row[0]) as number[],
    values: (c) => JSON.parse(row[c + 1]) as SqlValue[],
  };
}
