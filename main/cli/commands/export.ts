/** `export` and `explain`: the export engine and the SMTP explainer from a terminal. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { COLUMNS, normaliseHeader, type ColumnId } from '../../../common/columns';
import { isValidZone, LOCAL_ZONE, machineZone } from '../../../common/time-zone';
import type { ExportFormat, ExportRequest, SortKey } from '../../../common/contract';
import { openDatabase } from '../../engine/db/open';
import { EngineError } from '../../engine/errors';
import { runExport } from '../../engine/export/exporter';
import { runXlsxExport } from '../../engine/xlsx/export';
import { explainSmtp } from '../../engine/smtp/explain';
import { checkKnown, flag, requiredOption, stringOption, UsageError, type ParsedArgs } from '../args';
import type { CliIo } from '../index';
import { assertWorkspaceFile } from '../workspace-file';

/** Column by id ("message_to"), header ("Message To") or an older header alias, ignoring case and punctuation. */
function resolveColumn(name: string): ColumnId {
  const key = normaliseHeader(name);
  const hit = COLUMNS.find(
    (c) =>
      normaliseHeader(c.id) === key ||
      normaliseHeader(c.header) === key ||
      c.aliases.some((a) => normaliseHeader(a) === key),
  );
  if (!hit)
    throw new UsageError(`unknown column "${name}"; valid columns: ${COLUMNS.map((c) => c.id).join(', ')}`);
  return hit.id;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function parseSort(value: string | undefined): SortKey[] {
  if (value === undefined) return [];
  return list(value).map((part) => {
    const i = part.lastIndexOf(':');
    const [name, dir] = i === -1 ? [part, 'asc'] : [part.slice(0, i), part.slice(i + 1).toLowerCase()];
    if (dir !== 'asc' && dir !== 'desc')
      throw new UsageError(`--sort direction must be asc or desc, got "${dir}"`);
    return { column: resolveColumn(name), dir };
  });
}

export function parseColumns(value: string | undefined): ColumnId[] | undefined {
  if (value === undefined) return undefined;
  const cols = list(value).map(resolveColumn);
  if (cols.length === 0) throw new UsageError('--columns needs at least one column');
  return cols;
}

function parseDelimiter(value: string | undefined): ',' | ';' {
  if (value === undefined || value === ',' || value === 'comma') return ',';
  if (value === ';' || value === 'semicolon') return ';';
  throw new UsageError(`--delimiter must be "," or ";", got "${value}"`);
}

/** `--format csv|xlsx`; without it, a `.xlsx` output name means xlsx. */
export function parseFormat(value: string | undefined, out: string): ExportFormat {
  if (value === undefined) return /\.xlsx$/i.test(out) ? 'xlsx' : 'csv';
  const v = value.toLowerCase();
  if (v !== 'csv' && v !== 'xlsx') throw new UsageError(`--format must be csv or xlsx, got "${value}"`);
  return v;
}

/**
 * `--time-zone UTC|local|<IANA>`: Creation Time and Meta Data Creation Time are written in that zone
 * with their offset ("2026-10-05 21:42:00+02:00"), as the app's export dialog does; without it a CSV
 * keeps the text as imported and an .xlsx is written in UTC.
 */
export function parseExportZone(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.toLowerCase() === LOCAL_ZONE) return machineZone();
  if (value.toUpperCase() === 'UTC') return 'UTC';
  const given = value; // isValidZone narrows `value` to never when it fails
  if (isValidZone(value)) return value;
  throw new UsageError(
    `--time-zone: unknown time zone "${given}" (use UTC, local or an IANA name such as Europe/Berlin)`,
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export async function exportCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, [
    'db',
    'out',
    'q',
    'sort',
    'columns',
    'delimiter',
    'bom',
    'no-formula-guard',
    'json',
    'format',
    'time-zone',
  ]);
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const dbFile = requiredOption(args, 'db');
  const out = requiredOption(args, 'out');
  const q = stringOption(args, 'q');
  let req: ExportRequest = {
    jobId: `cli-export-${process.pid}`,
    path: path.resolve(out),
    filter: q === undefined ? {} : { q },
    sort: parseSort(stringOption(args, 'sort')),
    columns: parseColumns(stringOption(args, 'columns')),
    delimiter: parseDelimiter(stringOption(args, 'delimiter')),
    bom: flag(args, 'bom'),
    formulaGuard: !flag(args, 'no-formula-guard'),
    format: parseFormat(stringOption(args, 'format'), out),
  };
  const timeZone = parseExportZone(stringOption(args, 'time-zone'));
  // One zone rule: the dates typed in --q (after:/before:) mean the wall clock the file is written in.
  if (timeZone !== undefined && q !== undefined) req = { ...req, filter: { q, timeZone } };
  // Opening a missing path would create an empty workspace and "export" nothing.
  if (!existsSync(dbFile)) throw new EngineError('NOT_FOUND', `No workspace database at ${dbFile}.`);
  const json = flag(args, 'json');
  assertWorkspaceFile(dbFile);
  const db = openDatabase(dbFile);
  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const run = req.format === 'xlsx' ? runXlsxExport : runExport;
    const result = await run(db, timeZone === undefined ? req : { ...req, timeZone }, {
      signal: ac.signal,
      onProgress: (p) => {
        if (!json && (io.stderr as { isTTY?: boolean }).isTTY)
          io.stderr.write(
            `\r${p.rowsWritten.toLocaleString('en')} / ${p.totalRows.toLocaleString('en')} rows`,
          );
      },
    });
    if (json) io.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      if ((io.stderr as { isTTY?: boolean }).isTTY) io.stderr.write('\n');
      io.stdout.write(
        `Exported ${result.rowsWritten.toLocaleString('en')} rows (${result.expectedRows.toLocaleString('en')} match the filter) to ${result.path} ` +
          `(${megabytes(result.bytes)}, ${(result.durationMs / 1000).toFixed(1)} s)\n`,
      );
      if (result.sheets !== undefined && result.sheets > 1)
        io.stdout.write(`  ${result.sheets} sheets: Excel holds at most 1,048,575 rows per sheet\n`);
      if (result.truncatedCells)
        io.stdout.write(
          `  ${result.truncatedCells.toLocaleString('en')} cells were longer than Excel's 32,767 characters and were cut (marked "…[truncated]")\n`,
        );
    }
    return 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    db.close();
  }
}

export function explainCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['json']);
  const text = args.positionals.join(' ');
  if (text.trim() === '') throw new UsageError('give the SMTP reply text, in quotes');
  const e = explainSmtp(text);
  if (flag(args, 'json')) {
    io.stdout.write(`${JSON.stringify(e)}\n`);
    return Promise.resolve(0);
  }
  const meaning = [
    e.basicCode === null ? null : `${e.basicCode}: ${e.basicMeaning ?? ''}`,
    e.enhancedCode === null ? null : `${e.enhancedCode}: ${e.enhancedMeaning ?? ''}`,
  ].filter((x) => x !== null);
  const lines = [
    `Code:      ${[e.basicCode, e.enhancedCode].filter((x) => x !== null).join(' ') || '(none found)'}`,
    ...meaning.map((m, i) => `${i === 0 ? 'Meaning:  ' : '          '} ${m}`),
    `Verdict:   ${e.verdict}`,
    `Summary:   ${e.summary}`,
    `Next step: ${e.nextStep}`,
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return Promise.resolve(0);
}
