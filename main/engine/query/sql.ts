/** Shared SQL fragments: the record select list and validated sort keys. */
import { COLUMN_IDS, isColumnId } from '../../../common/columns';
import type { SortDir, SortKey } from '../../../common/contract';
import { EngineError } from '../errors';
import { FOLDED_COLUMNS, foldedExpr, isList, valueColumn } from './filter';

/** Every column a RecordRow carries, in a fixed order. */
export const RECORD_SELECT = ['id', 'import_id', 'creation_time_ms', ...COLUMN_IDS].join(', ');

export interface ResolvedSortKey {
  /** SQL expression to order by: `_ms` for times, lower() for addresses and domains (as their indexes). */
  readonly expr: string;
  readonly dir: SortDir;
}

const TIME_TIEBREAK = new Set(['status', 'substatus', 'status_details']);

/** Validates sort keys against the whitelist and appends the tie-breaks: creation time for status columns, then id (same direction as the last key). */
export function resolveSort(sort: readonly SortKey[]): ResolvedSortKey[] {
  if (!isList(sort)) throw new EngineError('INVALID_ARGUMENT', 'sort must be an array', { path: 'sort' });
  const keys: ResolvedSortKey[] = [];
  const seen = new Set<string>();
  sort.forEach((s, i) => {
    if (typeof s !== 'object' || s === null || !isColumnId(s.column)) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `sort[${i}].column: unknown column ${JSON.stringify((s as { column?: unknown } | null)?.column)}`,
        {
          path: `sort[${i}].column`,
        },
      );
    }
    if (s.dir !== 'asc' && s.dir !== 'desc') {
      throw new EngineError('INVALID_ARGUMENT', `sort[${i}].dir must be asc or desc`, {
        path: `sort[${i}].dir`,
      });
    }
    if (seen.has(s.column)) return;
    seen.add(s.column);
    const expr = FOLDED_COLUMNS.has(s.column) ? foldedExpr(s.column) : valueColumn(s.column);
    keys.push({ expr, dir: s.dir });
  });
  // Status columns have few values and indexes on (column, creation_time_ms): within a status, newest
  // (or oldest) first follows that index, where an id tie-break alone would sort ~1M rows per page.
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only && TIME_TIEBREAK.has(only.expr)) keys.push({ expr: 'creation_time_ms', dir: only.dir });
  const last = keys[keys.length - 1];
  keys.push({ expr: 'id', dir: last ? last.dir : 'asc' });
  return keys;
}

export function orderBySql(keys: readonly ResolvedSortKey[]): string {
  return keys.map((k) => `${k.expr} ${k.dir === 'asc' ? 'ASC' : 'DESC'}`).join(', ');
}
