/**
 * `query`, `count`, `facets`, `correlation`, `lookup`: the query engine from a terminal.
 *
 * --json shapes (one JSON document on stdout):
 *   query        {"total": N, "rows": [{"Creation Time": "...", "Message To": "...", ...}]}
 *                rows keyed by the export's column names (COLUMNS[i].header), all 24 columns;
 *                text as imported, Message Size and Version as numbers, empty cells as null.
 *   count        {"count": N}
 *   facets       {"status": [{"value": "OK", "count": N}], "substatus": [...], "status_details": [...],
 *                 "smtp_class": [{"value": "5xx", ...}], "to_domain": [...], "region": [...], "interface": [...]}
 *   correlation  {"correlationId": "...", "entries": [{"record": {<row>}, "changes": [{"column": "<header>",
 *                 "from": v, "to": v}], "explanation": SmtpExplanation | null}], "priorHardBounces": [{<row>}]}
 *   lookup       {"results": [{"address", "found", "latestStatus", "latestSubstatus", "latestDetails",
 *                 "latestTime", "latestTimeMs", "latestSmtp", "correlationId"}]}
 * Exit codes: 0 ok; 2 usage or search-syntax errors (the message points at the bad term); 1 other
 * failures (database missing or unreadable). `correlation` with no records prints nothing found, exit 0.
 */
import type { Database } from 'better-sqlite3';
import { COLUMNS, columnById, normaliseHeader, type ColumnId } from '../../../common/columns';
import type { FilterModel, RecordRow, SortKey } from '../../../common/contract';
import { openDatabase } from '../../engine/db/open';
import { EngineError } from '../../engine/errors';
import { countRows, getDrilldown, getFacets, lookupAddresses, queryPage } from '../../engine/query';
import {
  checkKnown,
  flag,
  intOption,
  requiredOption,
  stringOption,
  UsageError,
  type ParsedArgs,
} from '../args';
import type { CliIo } from '../index';
import { formatTable } from './query-table';
import { describeSummary } from '../../../common/outcome-text';
import { formatIsoInZone } from '../../../common/time-zone';
import { parseTimeZone } from './import';

/** Opens an existing workspace read-only; a missing or foreign file is exit code 1, not a crash. */
function withDb<T>(args: ParsedArgs, run: (db: Database) => T): T {
  const file = requiredOption(args, 'db');
  let db: Database;
  try {
    db = openDatabase(file, { readonly: true });
    db.prepare('SELECT 1 FROM records LIMIT 1').get();
  } catch (err) {
    throw new EngineError(
      'NOT_FOUND',
      `cannot open workspace ${file}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  try {
    return run(db);
  } finally {
    db.close();
  }
}

function filterOf(args: ParsedArgs): FilterModel {
  const q = stringOption(args, 'q');
  return q === undefined ? {} : { q };
}

const BY_NAME = new Map<string, ColumnId>();
for (const c of COLUMNS)
  for (const n of [c.id, c.header, ...c.aliases]) BY_NAME.set(normaliseHeader(n), c.id);

/** `--sort "Message To:asc"`, `--sort message_size`, `--sort status:desc`; default newest first. */
export function parseSort(value: string | undefined): SortKey[] {
  if (value === undefined) return [{ column: 'creation_time', dir: 'desc' }];
  const m = /^(.*?)(?::(asc|desc))?$/i.exec(value.trim());
  const column = BY_NAME.get(normaliseHeader(m?.[1] ?? ''));
  if (!column)
    throw new UsageError(
      `--sort: unknown column "${m?.[1] ?? value}"; use a column id or header, e.g. --sort "Creation Time:desc"`,
    );
  return [{ column, dir: (m?.[2] ?? 'asc').toLowerCase() === 'desc' ? 'desc' : 'asc' }];
}

/** A record keyed by header names, for --json. */
export function rowByHeader(row: RecordRow): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const c of COLUMNS) {
    const v = row[c.id];
    out[c.header] = v === '' ? null : v;
  }
  return out;
}

function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

const TABLE_COLUMNS: readonly ColumnId[] = [
  'creation_time',
  'message_to',
  'status',
  'substatus',
  'status_details',
  'smtp_status_code',
  'correlation_id',
];

function rowsTable(rows: readonly RecordRow[]): string {
  return formatTable(
    TABLE_COLUMNS.map((c) => columnById(c).header),
    rows.map((r) => TABLE_COLUMNS.map((c) => r[c])),
  );
}

export function queryCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'q', 'sort', 'limit', 'json']);
  const limit = intOption(args, 'limit', 50, 1, 1_000_000);
  const sort = parseSort(stringOption(args, 'sort'));
  const filter = filterOf(args);
  return Promise.resolve(
    withDb(args, (db) => {
      const rows: RecordRow[] = [];
      while (rows.length < limit) {
        const want = Math.min(1000, limit - rows.length);
        const page = queryPage(db, { filter, sort, startRow: rows.length, endRow: rows.length + want });
        rows.push(...page.rows);
        if (page.rows.length < want) break;
      }
      const total = countRows(db, filter);
      if (flag(args, 'json')) writeJson(io, { total, rows: rows.map(rowByHeader) });
      else io.stdout.write(`${rowsTable(rows)}\n${rows.length} of ${total} records\n`);
      return 0;
    }),
  );
}

export function countCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'q', 'json']);
  const filter = filterOf(args);
  return Promise.resolve(
    withDb(args, (db) => {
      const count = countRows(db, filter);
      if (flag(args, 'json')) writeJson(io, { count });
      else io.stdout.write(`${count}\n`);
      return 0;
    }),
  );
}

export function facetsCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'q', 'top', 'json']);
  const top = intOption(args, 'top', 10, 1, 1000);
  const filter = filterOf(args);
  return Promise.resolve(
    withDb(args, (db) => {
      const facets = getFacets(db, filter, top);
      if (flag(args, 'json')) writeJson(io, facets);
      else
        for (const [name, buckets] of Object.entries(facets)) {
          io.stdout.write(
            `${name}\n${formatTable(
              ['value', 'count'],
              buckets.map((b) => [b.value, b.count]),
              '  ',
            )}\n\n`,
          );
        }
      return 0;
    }),
  );
}

export function correlationCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'json', 'time-zone']);
  const [id, ...extra] = args.positionals;
  if (id === undefined || extra.length > 0) throw new UsageError('give exactly one Correlation ID');
  const zone = parseTimeZone(stringOption(args, 'time-zone')) ?? 'UTC';
  const time = (ms: number): string => formatIsoInZone(ms, zone, { offset: true });
  return Promise.resolve(
    withDb(args, (db) => {
      const d = getDrilldown(db, id);
      if (flag(args, 'json')) {
        writeJson(io, {
          correlationId: d.correlationId,
          entries: d.entries.map((e) => ({
            record: rowByHeader(e.record),
            changes: e.changes.map((c) => ({ column: columnById(c.column).header, from: c.from, to: c.to })),
            explanation: e.explanation,
          })),
          priorHardBounces: d.priorHardBounces.map(rowByHeader),
          summary: d.summary && { ...d.summary, text: describeSummary(d.summary, time) },
        });
        return 0;
      }
      if (d.entries.length === 0) {
        io.stdout.write(`No records with Correlation ID ${d.correlationId}\n`);
        return 0;
      }
      if (d.summary) io.stdout.write(`Outcome: ${describeSummary(d.summary, time)}\n\n`);
      d.entries.forEach((e, i) => {
        io.stdout.write(
          `#${i + 1}  ${String(e.record.creation_time)}  version ${String(e.record.version)}  ${String(e.record.message_to)}\n`,
        );
        io.stdout.write(
          `    ${String(e.record.status)} / ${String(e.record.substatus)} / ${String(e.record.status_details)}\n`,
        );
        if (e.record.smtp_status_code)
          io.stdout.write(`    SMTP: ${String(e.record.smtp_status_code).replace(/\s*\n\s*/g, ' ')}\n`);
        if (e.explanation?.summary)
          io.stdout.write(`    Meaning: ${e.explanation.summary} (${e.explanation.verdict})\n`);
        for (const c of e.changes)
          io.stdout.write(
            `    changed ${columnById(c.column).header}: ${String(c.from)} -> ${String(c.to)}\n`,
          );
      });
      if (d.priorHardBounces.length > 0) {
        io.stdout.write(`\nEarlier hard bounces of this recipient:\n${rowsTable(d.priorHardBounces)}\n`);
      }
      return 0;
    }),
  );
}

export function lookupCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'json']);
  if (args.positionals.length === 0) throw new UsageError('give at least one address');
  return Promise.resolve(
    withDb(args, (db) => {
      const results = lookupAddresses(db, args.positionals);
      if (flag(args, 'json')) writeJson(io, { results });
      else
        io.stdout.write(
          `${formatTable(
            ['Address', 'Found', 'Latest outcome', 'Time', 'SMTP reply', 'Correlation ID'],
            results.map((r) => [
              r.address,
              r.found,
              r.found
                ? [r.latestStatus, r.latestSubstatus, r.latestDetails].filter(Boolean).join(' / ')
                : 'not found',
              r.latestTime,
              r.latestSmtp,
              r.correlationId,
            ]),
          )}\n`,
        );
      return 0;
    }),
  );
}
