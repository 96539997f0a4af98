/**
 * `query` and `correlation`: records streamed to stdout as they are read, in flat memory whatever
 * --limit is (a 1M-row --json query used to build one 3.4 GB string). --json keeps its documented
 * shape (one pretty-printed document, written piece by piece); --ndjson writes one compact JSON
 * object per line instead, for jq and friends. A reader that goes away ends the command quietly.
 */
import type { Database } from 'better-sqlite3';
import { columnById, type ColumnId } from '../../../common/columns';
import type { DrilldownEntry, DrilldownSummary, RecordRow } from '../../../common/contract';
import { describeSummary } from '../../../common/outcome-text';
import { formatIsoInZone } from '../../../common/time-zone';
import { countRows } from '../../engine/query';
import { streamDrilldown } from '../../engine/query/drilldown-stream';
import { summarizeEntries } from '../../engine/query/outcome';
import { senderSortedRows } from '../../engine/query/sender-order';
import { iterateRows } from '../../engine/query/stream';
import { checkKnown, flag, intOption, stringOption, UsageError, type ParsedArgs } from '../args';
import type { CliIo } from '../index';
import { restoreForSearch } from '../kept-memories';
import { parseTimeZone } from '../zone-option';
import { StreamWriter } from '../output';
import { formatTable, streamTable } from './query-table';
import { filterOf, parseSort, rowByHeader, withDb } from './query';

/** The largest --limit; rows stream, so this bounds run time, not memory. */
export const MAX_LIMIT = 1_000_000_000;

export const TABLE_COLUMNS: readonly ColumnId[] = [
  'creation_time',
  'message_to',
  'status',
  'substatus',
  'status_details',
  'smtp_status_code',
  'correlation_id',
];
const TABLE_HEADERS = TABLE_COLUMNS.map((c) => columnById(c).header);
const tableCells = (r: RecordRow): (string | number | null)[] => TABLE_COLUMNS.map((c) => r[c]);

export function rowsTable(rows: readonly RecordRow[]): string {
  return formatTable(TABLE_HEADERS, rows.map(tableCells));
}

/**
 * Writes a JSON array exactly as JSON.stringify(value, null, 2) would inside an object at `depth`,
 * one element at a time. Returns the element count.
 */
async function prettyArray<T>(
  w: StreamWriter,
  items: Iterable<T>,
  map: (item: T) => unknown,
  depth: number,
): Promise<number> {
  const pad = '  '.repeat(depth + 1);
  let n = 0;
  for (const item of items) {
    // JSON text never holds a raw line break inside a string, so indenting every line is safe.
    const text = JSON.stringify(map(item), null, 2).replace(/\n/g, `\n${pad}`);
    await w.write(`${n === 0 ? '[\n' : ',\n'}${pad}${text}`);
    n++;
  }
  await w.write(n === 0 ? '[]' : `\n${'  '.repeat(depth)}]`);
  return n;
}

async function ndjson<T>(w: StreamWriter, items: Iterable<T>, map: (item: T) => unknown): Promise<number> {
  let n = 0;
  for (const item of items) {
    await w.write(`${JSON.stringify(map(item))}\n`);
    n++;
  }
  return n;
}

/** Count and rows from one snapshot, and sorts that spill to disk rather than to memory. */
function readSnapshot(db: Database): void {
  db.pragma('temp_store = FILE');
  db.exec('BEGIN');
}

function outputMode(args: ParsedArgs): 'json' | 'ndjson' | 'table' {
  const json = flag(args, 'json');
  const nd = flag(args, 'ndjson');
  if (json && nd) throw new UsageError('use either --json or --ndjson');
  return nd ? 'ndjson' : json ? 'json' : 'table';
}

export function queryCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'q', 'sort', 'limit', 'json', 'ndjson']);
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const limit = intOption(args, 'limit', 50, 1, MAX_LIMIT);
  const sort = parseSort(stringOption(args, 'sort'));
  const filter = filterOf(args);
  const mode = outputMode(args);
  return withDb(args, async (db) => {
    readSnapshot(db);
    // Inside the snapshot: the copies are checked against the records the count and rows then read.
    restoreForSearch(db, filter, 'query', sort);
    const w = new StreamWriter(io);
    // The connection runs one statement at a time: the count before the rows' iterator opens.
    // By sender under a free word: from the kept sender codes (sender-order.ts), else the statement.
    const rows = (): IterableIterator<RecordRow> =>
      senderSortedRows(db, filter, sort, limit)?.values() ?? iterateRows(db, filter, sort, limit);
    if (mode === 'ndjson') await ndjson(w, rows(), rowByHeader);
    else if (mode === 'json') {
      await w.write(`{\n  "total": ${countRows(db, filter)},\n  "rows": `);
      await prettyArray(w, rows(), rowByHeader, 1);
      await w.write('\n}\n');
    } else {
      const n = await streamTable(TABLE_HEADERS, rows(), tableCells, (t) => w.write(t));
      await w.write(`${n} of ${countRows(db, filter)} records\n`);
    }
    await w.flush();
    return 0;
  });
}

const entryJson = (e: DrilldownEntry): unknown => ({
  record: rowByHeader(e.record),
  changes: e.changes.map((c) => ({ column: columnById(c.column).header, from: c.from, to: c.to })),
  explanation: e.explanation,
});

function entryText(e: DrilldownEntry, i: number): string {
  const r = e.record;
  let out = `#${i + 1}  ${String(r.creation_time)}  version ${String(r.version)}  ${String(r.message_to)}\n`;
  out += `    ${String(r.status)} / ${String(r.substatus)} / ${String(r.status_details)}\n`;
  if (r.smtp_status_code) out += `    SMTP: ${String(r.smtp_status_code).replace(/\s*\n\s*/g, ' ')}\n`;
  if (e.explanation?.summary) out += `    Meaning: ${e.explanation.summary} (${e.explanation.verdict})\n`;
  for (const c of e.changes)
    out += `    changed ${columnById(c.column).header}: ${String(c.from)} -> ${String(c.to)}\n`;
  return out;
}

/** Entries read for the outcome line: a Correlation ID has a handful; past this the line is left out. */
const SUMMARY_ENTRIES = 10_000;

function outcomeOf(db: Database, id: string): DrilldownSummary | null {
  const entries: DrilldownEntry[] = [];
  for (const e of streamDrilldown(db, id).entries) {
    if (entries.length >= SUMMARY_ENTRIES) return null;
    entries.push(e);
  }
  return summarizeEntries(entries);
}

export function correlationCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'json', 'ndjson', 'time-zone']);
  const [id, ...extra] = args.positionals;
  if (id === undefined || extra.length > 0) throw new UsageError('give exactly one Correlation ID');
  const mode = outputMode(args);
  const zone = parseTimeZone(stringOption(args, 'time-zone')) ?? 'UTC';
  const time = (ms: number): string => formatIsoInZone(ms, zone, { offset: true });
  return withDb(args, async (db) => {
    readSnapshot(db);
    const w = new StreamWriter(io);
    // The story's end, first: one short pass over the (few) entries before they are streamed.
    const outcome = outcomeOf(db, id);
    const summary = outcome && { ...outcome, text: describeSummary(outcome, time) };
    const d = streamDrilldown(db, id);
    if (mode === 'ndjson') {
      await ndjson(w, d.entries, entryJson);
      await ndjson(w, d.priorHardBounces(), (r) => ({ priorHardBounce: rowByHeader(r) }));
    } else if (mode === 'json') {
      await w.write(`{\n  "correlationId": ${JSON.stringify(d.correlationId)},\n  "entries": `);
      await prettyArray(w, d.entries, entryJson, 1);
      await w.write(',\n  "priorHardBounces": ');
      await prettyArray(w, d.priorHardBounces(), rowByHeader, 1);
      await w.write(`,\n  "summary": ${JSON.stringify(summary, null, 2).replace(/\n/g, '\n  ')}\n}\n`);
    } else {
      let n = 0;
      if (summary) await w.write(`Outcome: ${summary.text}\n\n`);
      for (const e of d.entries) await w.write(entryText(e, n++));
      if (n === 0) await w.write(`No records with Correlation ID ${d.correlationId}\n`);
      const prior = n === 0 ? [] : d.priorHardBounces();
      if (prior.length > 0) await w.write(`\nEarlier hard bounces of this recipient:\n${rowsTable(prior)}\n`);
    }
    await w.flush();
    return 0;
  });
}
