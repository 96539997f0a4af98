/**
 * Rows for readers that take them all in order (the CLI): one statement, iterated, so a million rows
 * cost the memory of one. Same filter compilation and ORDER BY as the grid's pages (paging.ts),
 * so `query --limit N` lists exactly the rows the grid shows for that sort.
 */
import type { Database } from 'better-sqlite3';
import type { FilterModel, RecordRow, SortKey } from '../../../common/contract';
import { compileWhere } from './filter';
import { createResolver } from './resolver';
import { orderBySql, RECORD_SELECT, resolveSort } from './sql';

export function iterateRows(
  db: Database,
  filter: FilterModel,
  sort: readonly SortKey[],
  limit: number,
): IterableIterator<RecordRow> {
  const where = compileWhere(filter, createResolver(db));
  const sql = `SELECT ${RECORD_SELECT} FROM records WHERE ${where.sql} ORDER BY ${orderBySql(resolveSort(sort))} LIMIT ?`;
  return db.prepare(sql).iterate(...where.params, limit) as IterableIterator<RecordRow>;
}
