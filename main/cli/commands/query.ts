/**
 * `count`, `facets`, `lookup` (and the helpers `query` and `correlation` share): the query engine
 * from a terminal.
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
 * --ndjson (opt-in) writes one compact JSON object per line instead: query one row per line (no
 * total); correlation one entry per line ({"record", "changes", "explanation"}) then one
 * {"priorHardBounce": <row>} per earlier hard bounce; lookup one result per line; count and facets
 * their one object. query and correlation stream (commands/rows.ts).
 * Exit codes: 0 ok (also when the reader of stdout goes away early); 2 usage or search-syntax errors
 * (the message points at the bad term); 1 other failures (database missing or unreadable).
 * `correlation` with no records prints nothing found, exit 0.
 */
import type { Database } from 'better-sqlite3';
import { COLUMNS, normaliseHeader, type ColumnId } from '../../../common/columns';
import type { FilterModel, RecordRow, SortKey } from '../../../common/contract';
import { openDatabase } from '../../engine/db/open';
import { EngineError } from '../../engine/errors';
import { countRows, getFacets, lookupAddresses } from '../../engine/query';
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
import { writeWhole } from '../output';
import { restoreForSearch } from '../kept-memories';
import { formatTable } from './query-table';

/**
 * Pages read by memory map on the CLI's connection. Every command starts with an empty page cache,
 * so its first search reads each page it touches by a system call and a copy: `count --q jane` at 1M
 * rows read 4500 pages (72 MB), 300 ms of system time of its ~600 ms CPU under load; mapped,
 * 55-73 ms. 2 GB is the most this SQLite build maps (MAX_MMAP_SIZE); pages beyond it are read as
 * before. Read-only, so nothing is written through the map.
 */
export const CLI_MMAP_BYTES = 0x7fff0000;

/** Opens an existing workspace read-only; a missing or foreign file is exit code 1, not a crash. */
export async function withDb<T>(args: ParsedArgs, run: (db: Database) => T | Promise<T>): Promise<T> {
  const file = requiredOption(args, 'db');
  let db: Database;
  try {
    db = openDatabase(file, { readonly: true });
    db.pragma(`mmap_size = ${CLI_MMAP_BYTES}`);
    db.prepare('SELECT 1 FROM records LIMIT 1').get();
  } catch (err) {
    throw new EngineError(
      'NOT_FOUND',
      `cannot open workspace ${file}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  try {
    return await run(db);
  } finally {
    db.close();
  }
}

export function filterOf(args: ParsedArgs): FilterModel {
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

/** --json: one pretty document; --ndjson: the same value compact on one line. */
export function writeJson(io: CliIo, value: unknown, args?: ParsedArgs): void {
  writeWhole(
    io,
    `${args !== undefined && flag(args, 'ndjson') ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`,
  );
}

function wantsJson(args: ParsedArgs): boolean {
  return flag(args, 'json') || flag(args, 'ndjson');
}

export function countCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'q', 'json', 'ndjson']);
  const filter = filterOf(args);
  return Promise.resolve(
    withDb(args, (db) => {
      restoreForSearch(db, filter, 'count');
      const count = countRows(db, filter);
      if (wantsJson(args)) writeJson(io, { count }, args);
      else writeWhole(io, `${count}\n`);
      return 0;
    }),
  );
}

export function facetsCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'q', 'top', 'json', 'ndjson']);
  const top = intOption(args, 'top', 10, 1, 1000);
  const filter = filterOf(args);
  return Promise.resolve(
    withDb(args, (db) => {
      restoreForSearch(db, filter, 'facets');
      const facets = getFacets(db, filter, top);
      if (wantsJson(args)) writeJson(io, facets, args);
      else
        writeWhole(
          io,
          Object.entries(facets)
            .map(
              ([name, buckets]) =>
                `${name}\n${formatTable(
                  ['value', 'count'],
                  buckets.map((b) => [b.value, b.count]),
                  '  ',
                )}\n\n`,
            )
            .join(''),
        );
      return 0;
    }),
  );
}

export function lookupCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'json', 'ndjson']);
  if (args.positionals.length === 0) throw new UsageError('give at least one address');
  return Promise.resolve(
    withDb(args, (db) => {
      const results = lookupAddresses(db, args.positionals);
      if (flag(args, 'ndjson')) for (const r of results) io.stdout.write(`${JSON.stringify(r)}\n`);
      else if (flag(args, 'json')) writeJson(io, { results }, args);
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
