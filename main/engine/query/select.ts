/**
 * Compiles the filter model into SQL for streaming readers (export). No database handle here, so
 * substring terms use LIKE rather than the search vocabulary: an export reads every matching row
 * anyway, and the result is the same.
 */
import type { FilterModel, SortKey } from '../../../common/contract';
import { isColumnId, type ColumnId } from '../../../common/columns';
import { EngineError } from '../errors';
import { compileWhere, isList, type Param } from './filter';
import { orderBySql, resolveSort } from './sql';

export interface CompiledSql {
  readonly sql: string;
  readonly params: readonly (string | number)[];
}

/** `SELECT <columns> FROM records WHERE <filter> ORDER BY <sort>, id` — every column id is whitelisted. */
export function compileSelect(
  filter: FilterModel,
  sort: readonly SortKey[],
  columns: readonly ColumnId[],
  /** Also select `raw_values`, the original text of folded enum values (for export). */
  withOriginals = false,
): CompiledSql {
  if (!isList(columns) || columns.length === 0) {
    throw new EngineError('INVALID_ARGUMENT', 'choose at least one column', { path: 'columns' });
  }
  columns.forEach((c, i) => {
    if (!isColumnId(c))
      throw new EngineError('INVALID_ARGUMENT', `columns[${i}]: unknown column ${JSON.stringify(c)}`, {
        path: `columns[${i}]`,
      });
  });
  const where = compileWhere(filter);
  const params: Param[] = [...where.params];
  return {
    sql: `SELECT ${columns.join(', ')}${withOriginals ? ', raw_values' : ''} FROM records WHERE ${where.sql} ORDER BY ${orderBySql(resolveSort(sort))}`,
    params,
  };
}

/** `SELECT count(*) AS n FROM records WHERE <filter>`. */
export function compileCount(filter: FilterModel): CompiledSql {
  const where = compileWhere(filter);
  return { sql: `SELECT count(*) AS n FROM records WHERE ${where.sql}`, params: [...where.params] };
}
