/**
 * FilterModel -> SQL WHERE clause. Column names come only from the whitelist in common/columns.ts
 * (checked here again, since the CLI and tests call in without the IPC validator); every value is a
 * bound parameter. Substring terms on searchable columns go through the search vocabulary when a
 * resolver is given, else they become LIKE scans.
 */
import { columnById, isColumnId, type ColumnId } from '../../../common/columns';
import type { ColumnCondition, FilterModel } from '../../../common/contract';
import { LIMITS } from '../../../common/contract';
import { canonicalValue } from '../../../common/enum-values';
import { parseSearch, SearchSyntaxError, type SearchTerm } from '../../../common/search-syntax';
import { EngineError } from '../errors';
import { containsPart, enhancedPart, quickText } from './filter-contains';
import {
  and,
  equalsFolded,
  FALSE,
  FOLDED_COLUMNS,
  isList,
  not,
  or,
  split,
  startsWith,
  type SqlPart,
  type TextResolver,
} from './filter-sql';

// The building blocks live in filter-sql.ts and filter-contains.ts; most of the engine imports them
// from here, with compileWhere.
export {
  and,
  escapeLike,
  foldedExpr,
  FOLDED_COLUMNS,
  isList,
  or,
  type Param,
  type SqlPart,
  type TextResolver,
} from './filter-sql';
export { containsPart } from './filter-contains';

function invalid(message: string, details: Record<string, unknown>): never {
  throw new EngineError('INVALID_ARGUMENT', message, details);
}

/** SQL column holding the sortable / comparable value of a column (epoch ms for times). */
export function valueColumn(column: ColumnId): string {
  return columnById(column).kind === 'time' ? `${column}_ms` : column;
}

function finite(v: number | undefined, path: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) invalid(`${path} must be a finite number`, { path });
  return v;
}

function conditionPart(c: ColumnCondition, resolver: TextResolver | undefined, i: number): SqlPart {
  const path = `conditions[${i}]`;
  if (!isColumnId(c.column))
    invalid(`${path}.column: unknown column ${JSON.stringify(c.column)}`, { path: `${path}.column` });
  const kind = columnById(c.column).kind;
  switch (c.type) {
    case 'text': {
      if (typeof c.value !== 'string' || c.value.length > LIMITS.maxQueryLength)
        invalid(`${path}.value must be a string`, { path });
      if (kind !== 'text' && kind !== 'enum')
        invalid(`${path}: text filters apply to text columns, not ${c.column}`, { path });
      let part: SqlPart;
      if (c.op === 'contains') part = containsPart(c.column, c.value, resolver);
      else if (c.op === 'equals') part = equalsFolded(c.column, c.value, resolver);
      else if (c.op === 'startsWith') part = startsWith(c.column, c.value, resolver);
      else return invalid(`${path}.op must be contains, equals or startsWith`, { path });
      return c.negate === true ? not(part) : part;
    }
    case 'number': {
      if (kind !== 'integer')
        invalid(`${path}: number filters apply to number columns, not ${c.column}`, { path });
      return range(c.column, finite(c.min, `${path}.min`), finite(c.max, `${path}.max`), true);
    }
    case 'time': {
      if (kind !== 'time') invalid(`${path}: time filters apply to time columns, not ${c.column}`, { path });
      return range(valueColumn(c.column), finite(c.from, `${path}.from`), finite(c.to, `${path}.to`), false);
    }
    case 'enum': {
      if (!isList(c.values) || c.values.some((v) => typeof v !== 'string'))
        invalid(`${path}.values must be strings`, { path });
      // Stored enum values are canonical (trimmed, case-folded); fold the chosen ones alike.
      const values = c.values.map((v) => canonicalValue(c.column, v));
      const part: SqlPart =
        values.length === 0
          ? FALSE
          : { sql: `${c.column} IN (${values.map(() => '?').join(', ')})`, params: values };
      return c.negate === true ? not(part) : part;
    }
    default:
      return invalid(`${path}.type must be text, number, time or enum`, { path });
  }
}

/** min inclusive; max inclusive for numbers, exclusive for times (a brushed [from, to) window). */
function range(
  column: string,
  min: number | undefined,
  max: number | undefined,
  maxInclusive: boolean,
): SqlPart {
  const parts: SqlPart[] = [];
  if (min !== undefined) parts.push({ sql: `${column} >= ?`, params: [min] });
  if (max !== undefined) parts.push({ sql: `${column} ${maxInclusive ? '<=' : '<'} ?`, params: [max] });
  return and(parts);
}

function termPart(t: SearchTerm, resolver: TextResolver | undefined): SqlPart {
  if (t.kind === 'text') return quickText(t.value, resolver);
  const f = t.field;
  switch (f.kind) {
    case 'contains':
      return containsPart(f.column, t.value, resolver);
    case 'equals': {
      const spellings = f.column === 'message_to_domain' ? resolver?.domainSpellings?.(t.value) : null;
      if (spellings !== null && spellings !== undefined)
        return spellings.length === 0
          ? FALSE
          : { sql: `message_to_domain IN (${spellings.map(() => '?').join(', ')})`, params: [...spellings] };
      return FOLDED_COLUMNS.has(f.column)
        ? equalsFolded(f.column, t.value, resolver)
        : split(resolver, f.column, {
            sql: `${f.column} = ?`,
            params: [t.value],
          });
    }
    case 'enum':
      return { sql: `${f.column} = ?`, params: [t.value] };
    case 'smtp': {
      const s = t.smtp;
      if (!s) return FALSE;
      if (s.type === 'basic') return { sql: 'smtp_code = ?', params: [s.code] };
      if (s.type === 'class')
        return { sql: 'smtp_code BETWEEN ? AND ?', params: [s.cls * 100, s.cls * 100 + 99] };
      return enhancedPart(s.code, resolver);
    }
    case 'date':
      return { sql: `creation_time_ms ${f.name === 'after' ? '>=' : '<'} ?`, params: [t.number ?? 0] };
    case 'size': {
      const op = t.op === ':' ? '=' : t.op;
      // `+`: compared, not looked up in records_size. SQLite takes a size range for selective and
      // walked that index for `size>100000` (half the case at 1M rows), reading each match's row by
      // a seek: histogram alone 7.9 s against ~0.3 s for a scan of the table.
      return { sql: `+message_size ${op} ?`, params: [t.number ?? 0] };
    }
  }
}

/** Search syntax -> SQL: same field twice ORs, different fields and free words AND, negations AND NOT. */
export function searchPart(q: string, resolver: TextResolver | undefined, timeZone?: string): SqlPart {
  if (q.length > LIMITS.maxQueryLength)
    invalid(`The search is longer than ${LIMITS.maxQueryLength} characters`, { path: 'q' });
  let terms: SearchTerm[];
  try {
    terms = parseSearch(q, timeZone === undefined ? {} : { timeZone });
  } catch (err) {
    if (err instanceof SearchSyntaxError) {
      const where = `at characters ${err.info.start + 1}-${err.info.end} of the search`;
      throw new EngineError('SEARCH_SYNTAX', `${err.message} (${where})`, { ...err.info });
    }
    throw err;
  }
  const groups = new Map<string, SqlPart[]>();
  const ands: SqlPart[] = [];
  for (const t of terms) {
    const part = termPart(t, resolver);
    if (t.negate) ands.push(not(part));
    else if (t.kind === 'text' || t.field.kind === 'date' || t.field.kind === 'size') ands.push(part);
    else groups.set(t.field.name, [...(groups.get(t.field.name) ?? []), part]);
  }
  for (const g of groups.values()) ands.push(or(g));
  return and(ands);
}

/** The whole filter model as one WHERE clause body. */
export function compileWhere(filter: FilterModel, resolver?: TextResolver): SqlPart {
  if (typeof filter !== 'object' || filter === null) invalid('filter must be an object', { path: 'filter' });
  const parts: SqlPart[] = [];
  if (filter.q !== undefined) {
    if (typeof filter.q !== 'string') invalid('filter.q must be a string', { path: 'filter.q' });
    if (filter.q.trim() !== '') parts.push(searchPart(filter.q, resolver, filter.timeZone));
  }
  if (filter.conditions !== undefined) {
    if (!isList(filter.conditions))
      invalid('filter.conditions must be an array', { path: 'filter.conditions' });
    filter.conditions.forEach((c, i) => parts.push(conditionPart(c, resolver, i)));
  }
  parts.push(
    range(
      'creation_time_ms',
      finite(filter.timeFrom, 'filter.timeFrom'),
      finite(filter.timeTo, 'filter.timeTo'),
      false,
    ),
  );
  return and(parts.filter((p) => p.sql !== '1'));
}
