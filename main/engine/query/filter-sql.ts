/**
 * The pieces every WHERE clause of the engine is built from: bound-parameter SQL parts, AND / OR /
 * NOT, case-insensitive equality and prefix on the folded columns, and the resolver interface through
 * which substring terms reach the search vocabulary. Split from filter.ts (which compiles the filter
 * model and the search syntax with them) to keep each file readable.
 */
import type { ColumnId } from '../../../common/columns';
import type { SearchColumn } from './search-index';
import { columnBound, type GridBounds } from './grid-partial';
import { splitAtBound } from './partial-index';

export type Param = string | number;
export interface SqlPart {
  readonly sql: string;
  readonly params: readonly Param[];
  /**
   * Set when the part is exactly `id IN (<ids>)`: the ids alone, possibly repeated. Collecting an id
   * set from it skips a table lookup per match (`jane` at 1M rows: 83k lookups, ~0.4 s).
   */
  readonly ids?: SqlPart;
  /** Ids found in memory that belong to this id set besides what its SQL selects (address-memory.ts). */
  readonly mem?: readonly Uint32Array[];
}

/** Resolves a substring to the matching distinct values of a column, or null when LIKE must do. */
export interface TextResolver {
  /** Records with id <= coverage are in the vocabulary; above it LIKE is used. */
  readonly coverage: number;
  readonly maxId: number;
  /**
   * Every matching row will be visited (facets): a LIKE on a column with an index of its own then
   * becomes a set of ids read from that index (far less data than the table), alone or in a UNION.
   */
  readonly visitsAll?: boolean;
  resolve(column: SearchColumn, term: string): readonly string[] | null;
  /**
   * Every value of the column holding the term, however many (null: too short for the trigrams), for
   * a caller that narrows them further itself (enhanced SMTP codes: ~70k reply texts hold `5.1.1` at
   * 5M rows, more than `resolve` hands out, and their seeks still beat a scan of the table).
   */
  readonly resolveAll?: (column: SearchColumn, term: string) => readonly string[] | null;
  /**
   * Every stored spelling of a recipient domain, case-insensitively (`Web.de`, `web.de`), or null to
   * compare lower(): as `message_to_domain IN (...)` the domain and time index serves a page in time
   * order (`domain:web.de`: 1.5 s -> 3 ms), where SQLite sorted every record of the domain.
   */
  readonly domainSpellings?: (value: string) => readonly string[] | null;
  /** The partial index on the enhanced SMTP code exists (search-index.ts): compare the code directly. */
  readonly enhancedIndexed?: boolean;
  /** Bounds of the partial grid indexes (grid-partial.ts): comparisons they serve are split at them. */
  readonly bounds?: GridBounds;
  /**
   * The ids of the records up to `coverage` whose address holds the term, from the aggregate reader's
   * memory (address-memory.ts), or null to scan records_to; only where every match is visited.
   */
  readonly addressIds?: (term: string) => Uint32Array | null;
}

export const FALSE: SqlPart = { sql: '0', params: [] };

/** `part` split at the bound of the partial index serving `column` (partial-index.ts). */
export function split(resolver: TextResolver | undefined, column: string, part: SqlPart): SqlPart {
  return splitAtBound(columnBound(resolver?.bounds, column), part, resolver?.bounds?.snapshotMax);
}

/**
 * Columns compared and sorted case-insensitively, as lower(column): their indexes are on that
 * expression (see migration 3), and SQLite uses an expression index only for the same expression.
 */
export const FOLDED_COLUMNS = new Set<ColumnId>(['message_to', 'message_to_domain']);

/** The expression a column is compared and sorted by: lower(column) for the folded ones. */
export function foldedExpr(column: ColumnId): string {
  return FOLDED_COLUMNS.has(column) ? `lower(${column})` : column;
}

/** Case-insensitive equality that the column's own index serves. */
export function equalsFolded(column: ColumnId, value: string, resolver?: TextResolver): SqlPart {
  return FOLDED_COLUMNS.has(column)
    ? split(resolver, column, {
        sql: `lower(${column}) = lower(?)`,
        params: [value],
      })
    : { sql: `${column} = ? COLLATE NOCASE`, params: [value] };
}

/**
 * Case-insensitive prefix. On a folded column the LIKE is preceded by the key range of the prefix,
 * which the lower(column) index can seek (SQLite's LIKE optimisation needs a NOCASE index).
 */
export function startsWith(column: ColumnId, prefix: string, resolver?: TextResolver): SqlPart {
  const pattern = like(column, `${escapeLike(prefix)}%`);
  // Past U+D7FF, UTF-16 order (JavaScript) and UTF-8 order (SQLite) part ways: LIKE alone then.
  if (!FOLDED_COLUMNS.has(column) || prefix === '' || /[\ud800-\uffff]/.test(prefix)) return pattern;
  // Like SQLite's lower() and LIKE, fold ASCII letters only ("Ü" stays "Ü").
  const low = prefix.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const high = low.slice(0, -1) + String.fromCharCode(low.charCodeAt(low.length - 1) + 1);
  const range = { sql: `lower(${column}) >= ? AND lower(${column}) < ?`, params: [low, high] };
  return split(resolver, column, and([range, pattern]));
}

/** Array check without Array.isArray's narrowing to any[] (arguments may come from untyped callers). */
export function isList(value: unknown): boolean {
  return Array.isArray(value);
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function like(column: ColumnId, pattern: string): SqlPart {
  return { sql: `${column} LIKE ? ESCAPE '\\'`, params: [pattern] };
}

export function and(parts: readonly SqlPart[]): SqlPart {
  if (parts.length === 0) return { sql: '1', params: [] };
  if (parts.length === 1) return parts[0];
  return { sql: parts.map((p) => `(${p.sql})`).join(' AND '), params: parts.flatMap((p) => p.params) };
}

export function or(parts: readonly SqlPart[]): SqlPart {
  const useful = parts.filter((p) => p.sql !== '0');
  if (useful.length === 0) return FALSE;
  if (useful.length === 1) return useful[0];
  return { sql: useful.map((p) => `(${p.sql})`).join(' OR '), params: useful.flatMap((p) => p.params) };
}

/** NOT that also keeps rows where the column is NULL ("not OK" includes rows without a status). */
export function not(part: SqlPart): SqlPart {
  return { sql: `NOT ifnull((${part.sql}), 0)`, params: part.params };
}
