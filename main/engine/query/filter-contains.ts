/**
 * Substring terms: a column's substring through the search vocabulary where it covers the records
 * (else LIKE, read from the column's own index where every match is visited), a free word over the
 * searchable columns and the IDs, and an enhanced SMTP code. ORs of indexed branches become a UNION of
 * ids, since SQLite does not turn an OR of IN-subqueries into index lookups itself.
 */
import type { ColumnId } from '../../../common/columns';
import { parseSmtpCodes } from '../import/smtp-codes';
import { SEARCH_COLUMNS, type SearchColumn } from './search-index';
import { columnBound } from './grid-partial';
import { boundTerm, WHOLE } from './partial-index';
import { indexLeadTerm } from './covering-scan';
import {
  and,
  escapeLike,
  FALSE,
  foldedExpr,
  FOLDED_COLUMNS,
  like,
  or,
  split,
  type SqlPart,
  type TextResolver,
} from './filter-sql';

function isSearchColumn(c: ColumnId): c is SearchColumn {
  return (SEARCH_COLUMNS as readonly string[]).includes(c);
}

/** Columns with a B-tree index that serves `col IN (values)` lookups. */
const INDEXED_COLUMNS = new Set<ColumnId>([
  'message_to',
  'message_to_domain',
  'smtp_status_code',
  'correlation_id',
  'job_id',
  'usage_id',
]);

/** One alternative of an OR; `indexed` when SQLite can find its rows without scanning the table. */
interface Branch {
  readonly part: SqlPart;
  readonly indexed: boolean;
  /** A set of ids read from an index is cheaper than the clause even alone (see visitsAll). */
  readonly idSet?: boolean;
  /** For an id set: these ids plus what `rest` selects, instead of what `part` selects. */
  readonly mem?: { readonly ids: Uint32Array; readonly rest: SqlPart };
}

/** Case-insensitive substring of a column, through the vocabulary where it can be used. */
function containsBranches(column: ColumnId, term: string, resolver: TextResolver | undefined): Branch[] {
  const pattern = `%${escapeLike(term)}%`;
  const values =
    resolver && isSearchColumn(column) && resolver.coverage > 0 ? resolver.resolve(column, term) : null;
  if (!resolver || values === null) {
    const covered = resolver?.visitsAll === true && INDEXED_COLUMNS.has(column);
    const upto = columnBound(resolver?.bounds, column);
    const bounded: Branch = {
      part: and([
        { sql: boundTerm(upto ?? WHOLE), params: [] },
        ...indexLeadTerm(column),
        like(column, pattern),
      ]),
      indexed: true,
      idSet: true,
    };
    const scan: Branch[] =
      !covered || upto === null || upto === WHOLE
        ? [
            {
              part: and([...(covered && upto !== null ? indexLeadTerm(column) : []), like(column, pattern)]),
              indexed: covered,
              idSet: covered,
            },
          ]
        : (resolver?.bounds?.snapshotMax ?? Infinity) <= upto
          ? [bounded]
          : // Read from a partial index: its part up to the bound, and the delta above it by rowid range.
            [
              {
                part: and([
                  { sql: boundTerm(upto), params: [] },
                  ...indexLeadTerm(column),
                  like(column, pattern),
                ]),
                indexed: true,
                idSet: true,
              },
              {
                part: and([{ sql: `id > ${upto}`, params: [] }, like(column, pattern)]),
                indexed: true,
                idSet: true,
              },
            ];
    const ids = covered && column === 'message_to' ? resolver?.addressIds?.(term) : null;
    if (!ids) return scan;
    // From memory up to the vocabulary's coverage, LIKE above it; the WHERE clause keeps the scan.
    const rest: SqlPart = {
      sql: `id > ? AND ${column} LIKE ? ESCAPE '\\'`,
      params: [resolver?.coverage ?? 0, pattern],
    };
    return [
      {
        part: scan.length === 1 ? scan[0].part : anyOf(scan),
        indexed: true,
        idSet: true,
        mem: { ids, rest },
      },
    ];
  }
  const out: Branch[] = [];
  if (values.length > 0) {
    // lower(value) too: vocabularies built before migration 3 hold addresses as first seen.
    const rhs = FOLDED_COLUMNS.has(column) ? 'lower(value)' : 'value';
    out.push({
      part: split(resolver, column, {
        sql: `${foldedExpr(column)} IN (SELECT ${rhs} FROM json_each(?))`,
        params: [JSON.stringify(values)],
      }),
      indexed: INDEXED_COLUMNS.has(column),
    });
  }
  // Records imported after the vocabulary was last updated: a LIKE over that id range only.
  if (resolver.maxId > resolver.coverage) {
    out.push({
      part: { sql: `id > ? AND ${column} LIKE ? ESCAPE '\\'`, params: [resolver.coverage, pattern] },
      indexed: true,
    });
  }
  return out;
}

/**
 * OR of branches. SQLite does not turn an OR of IN-subqueries into index lookups by itself (it scans
 * in sort order instead), so when every branch can use an index, the OR becomes a UNION of ids.
 */
function anyOf(branches: readonly Branch[]): SqlPart {
  if (branches.length === 0) return FALSE;
  if ((branches.length === 1 && branches[0].idSet !== true) || branches.some((b) => !b.indexed))
    return or(branches.map((b) => b.part));
  const union = (part: (b: Branch) => SqlPart): SqlPart => ({
    sql: branches.map((b) => `SELECT id FROM records WHERE ${part(b).sql}`).join(' UNION ALL '),
    params: branches.flatMap((b) => part(b).params),
  });
  const all = union((b) => b.part);
  // The WHERE clause keeps every branch's SQL; only an id set collected from `ids` uses the memory.
  const mem = branches.flatMap((b) => (b.mem ? [b.mem.ids] : []));
  const ids = mem.length > 0 ? { ...union((b) => b.mem?.rest ?? b.part), mem } : all;
  return { sql: `id IN (${all.sql})`, params: all.params, ids };
}

export function containsPart(column: ColumnId, term: string, resolver: TextResolver | undefined): SqlPart {
  return anyOf(containsBranches(column, term, resolver));
}

/**
 * An enhanced SMTP code (`smtp:5.1.1`). Served by the partial index records_enhanced (code, time)
 * where it exists: pages in time order, counts and id sets from the index alone. Without it (a
 * workspace whose search-index phase has not run since): an index on the code alone made the page
 * planner seek it and sort (3.6 s), so this was a scan of the table (28.7k matches at 1M rows). When every match
 * will be visited (count, facets, histogram), the vocabulary's reply texts containing the code are
 * kept whose parsed code is it (the import stores parseSmtpCodes(text).enhanced), and their records
 * are read from the reply-text index; records the vocabulary does not cover yet are compared as before.
 */
export function enhancedPart(code: string, resolver: TextResolver | undefined): SqlPart {
  const scan: SqlPart = { sql: 'smtp_enhanced = ?', params: [code] };
  if (resolver?.enhancedIndexed === true) return scan;
  const texts =
    resolver?.visitsAll === true ? (resolver.resolveAll ?? resolver.resolve)('smtp_status_code', code) : null;
  if (!resolver || texts === null) return scan;
  const values = texts.filter((t) => parseSmtpCodes(t).enhanced === code);
  const branches: Branch[] = [];
  if (values.length > 0)
    branches.push({
      part: split(resolver, 'smtp_status_code', {
        sql: 'smtp_status_code IN (SELECT value FROM json_each(?))',
        params: [JSON.stringify(values)],
      }),
      indexed: true,
      idSet: true,
    });
  if (resolver.maxId > resolver.coverage)
    branches.push({ part: and([{ sql: 'id > ?', params: [resolver.coverage] }, scan]), indexed: true });
  return anyOf(branches);
}

/** Free word: substring of the searchable columns, or exactly one of the IDs. */
export function quickText(word: string, resolver: TextResolver | undefined): SqlPart {
  return anyOf([
    ...SEARCH_COLUMNS.flatMap((c) => containsBranches(c, word, resolver)),
    ...(['correlation_id', 'job_id', 'usage_id'] as const).map((c) => ({
      part: split(resolver, c, { sql: `${c} = ?`, params: [word] }),
      indexed: true,
    })),
  ]);
}
