// STUB (owned by the query-engine work): compiles the filter model into SQL for streaming readers (export).
import type { FilterModel, SortKey } from '../../../common/contract';
import type { ColumnId } from '../../../common/columns';
import { EngineError } from '../errors';

export interface CompiledSql {
  readonly sql: string;
  readonly params: readonly (string | number)[];
}

/** `SELECT <columns> FROM records WHERE <filter> ORDER BY <sort>, id` — every column id is whitelisted. */
export function compileSelect(filter: FilterModel, sort: readonly SortKey[], columns: readonly ColumnId[]): CompiledSql {
  if (filter.q || filter.conditions?.length || filter.timeFrom !== undefined || filter.timeTo !== undefined) {
    throw new EngineError('INTERNAL', 'filters not implemented yet');
  }
  const order = [...sort.map((s) => `${s.column} ${s.dir === 'asc' ? 'ASC' : 'DESC'}`), 'id ASC'].join(', ');
  return { sql: `SELECT ${columns.join(', ')} FROM records ORDER BY ${order}`, params: [] };
}

/** `SELECT count(*) AS n FROM records WHERE <filter>`. */
export function compileCount(filter: FilterModel): CompiledSql {
  compileSelect(filter, [], []);
  return { sql: 'SELECT count(*) AS n FROM records', params: [] };
}
