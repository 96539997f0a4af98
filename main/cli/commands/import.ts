/**
 * `delivery-inspector import --db <file.sqlite> <export.csv|.xlsx>... [--delimiter X] [--encoding X]
 * [--time-zone Z] [--force] [--json]`: the engine's importer in-process. Ctrl-C cancels the running
 * file (nothing of it is stored), also while it waits for another import of the same workspace.
 * `--force` reads a file even when an identical one was imported before.
 */
import { columnById, type ColumnId } from '../../../common/columns';
import type { Delimiter, EncodingName, FileImportResult, ImportProgress } from '../../../common/contract';
import { MAX_LISTED_VALUES } from '../../engine/import/enums';
import { openDatabase } from '../../engine/db/open';
import { runImport } from '../../engine/import/importer';
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
import { assertWorkspaceFile } from '../workspace-file';
import { parseTimeZone } from '../zone-option';

const DELIMITERS: Readonly<Record<string, Delimiter>> = {
  ',': ',',
  comma: ',',
  ';': ';',
  semicolon: ';',
  tab: '\t',
  '\t': '\t',
  '\\t': '\t',
  '|': '|',
  pipe: '|',
};
const ENCODINGS: Readonly<Record<string, EncodingName>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  win1252: 'windows-1252',
};

export function parseDelimiter(value: string | undefined): Delimiter | undefined {
  if (value === undefined) return undefined;
  const d = DELIMITERS[value.toLowerCase()];
  if (!d) throw new UsageError(`--delimiter must be one of , ; tab | (got "${value}")`);
  return d;
}

export function parseEncoding(value: string | undefined): EncodingName | undefined {
  if (value === undefined) return undefined;
  const e = ENCODINGS[value.toLowerCase()];
  if (!e) throw new UsageError(`--encoding must be utf-8 or windows-1252 (got "${value}")`);
  return e;
}

function jsonFile(f: FileImportResult): Record<string, unknown> {
  // The documented keys first, in order; extra detail after them.
  return {
    file: f.file,
    imported: f.imported,
    duplicates: f.duplicates,
    rejected: f.rejected,
    errors: f.errors.map((e) =>
      e.column === undefined
        ? { line: e.line, reason: e.reason }
        : { line: e.line, reason: e.reason, column: e.column },
    ),
    ...(f.error !== undefined ? { error: f.error } : {}),
    records: f.records,
    importId: f.importId,
    delimiter: f.delimiter,
    encoding: f.encoding,
    timezoneAssumed: f.timezoneAssumed,
    unknownColumns: f.unknownColumns,
    encodingRejected: f.encodingRejected,
    encodingSwitchedAt: f.encodingSwitchedAt,
    unknownValues: f.unknownValues,
    alreadyImported: f.alreadyImported,
    durationMs: f.durationMs,
    sheets: f.sheets,
  };
}

const DELIM_NAME: Readonly<Record<Delimiter, string>> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
  '|': 'pipe',
};

function humanFile(f: FileImportResult): string {
  if (f.error !== undefined) return `${f.file}: FAILED: ${f.error}\n`;
  const n = (x: number): string => x.toLocaleString('en-US');
  if (f.alreadyImported) {
    const when = new Date(f.alreadyImported.finishedAt).toISOString().replace('T', ' ').slice(0, 19);
    return (
      `${f.file}: already imported (import #${f.alreadyImported.importId}, ${when} UTC): identical size and content; nothing read now.\n` +
      `  that import: ${n(f.imported)} imported, ${n(f.duplicates)} already present, ${n(f.rejected)} rejected. Use --force to read it again.\n`
    );
  }
  let out = `${f.file}: ${n(f.imported)} imported, ${n(f.duplicates)} already present, ${n(f.rejected)} rejected`;
  const how = f.sheets
    ? ['Excel workbook']
    : [f.encoding, f.delimiter ? DELIM_NAME[f.delimiter] : undefined].filter((x) => x !== undefined);
  out += ` (${how.join(', ')}; ${(f.durationMs / 1000).toFixed(1)} s)\n`;
  if (f.timezoneAssumed) out += `  times without a zone were read as ${f.timezoneAssumed}\n`;
  if (f.encodingRejected)
    out += `  ${n(f.encodingRejected)} rejected rows hold a byte that is not valid UTF-8 (the rest is UTF-8)\n`;
  if (f.encodingSwitchedAt !== undefined)
    out += `  plain ASCII up to byte ${n(f.encodingSwitchedAt)}, then Windows-1252: read as Windows-1252\n`;
  if (f.unknownColumns?.length) out += `  extra columns kept: ${f.unknownColumns.join(', ')}\n`;
  for (const [column, u] of Object.entries(f.unknownValues ?? {}))
    out += `  ${columnById(column as ColumnId).header}: ${n(u.rows)} ${u.rows === 1 ? 'row' : 'rows'} with undocumented values, kept: ${u.values.join(', ')}${u.values.length >= MAX_LISTED_VALUES ? ', …' : ''}\n`;
  for (const s of f.sheets ?? [])
    out += s.imported
      ? `  sheet "${s.name}" imported\n`
      : `  sheet "${s.name}" not imported: ${s.reason ?? ''}\n`;
  for (const e of f.errors.slice(0, 10))
    out += `  line ${e.line}${e.column ? ` (${e.column})` : ''}: ${e.reason}\n`;
  if (f.rejected > 10) out += `  … ${n(f.rejected - 10)} more rejected rows are listed in the app\n`;
  return out;
}

function progressLine(p: ImportProgress): string {
  const pct = p.totalBytes > 0 ? Math.floor((p.bytesRead / p.totalBytes) * 100) : 0;
  const what =
    p.phase === 'rows'
      ? `${pct}% ${p.rows.toLocaleString('en-US')} rows (${p.rowsPerSecond.toLocaleString('en-US')}/s)`
      : p.phase;
  return `\r[${p.fileIndex + 1}/${p.fileCount}] ${what}\u001b[K`;
}

export async function importCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'delimiter', 'encoding', 'time-zone', 'json', 'force', 'replace']);
  const dbPath = requiredOption(args, 'db');
  if (args.positionals.length === 0) throw new UsageError('name at least one export CSV to import');
  const delimiter = parseDelimiter(stringOption(args, 'delimiter'));
  const encoding = parseEncoding(stringOption(args, 'encoding'));
  const timeZone = parseTimeZone(stringOption(args, 'time-zone'));
  const replaces = stringOption(args, 'replace') === undefined ? undefined : intOption(args, 'replace', 0, 1);
  if (replaces !== undefined && args.positionals.length !== 1)
    throw new UsageError('--replace replaces one import with exactly one file');
  const json = flag(args, 'json');
  const tty = !json && io.stdout.isTTY === true;
  assertWorkspaceFile(dbPath);
  const db = openDatabase(dbPath);
  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  let waitingFor = -1;
  process.once('SIGINT', onSigint);
  try {
    const result = await runImport(
      db,
      {
        jobId: 'cli',
        paths: args.positionals,
        ...(delimiter ? { delimiter } : {}),
        ...(encoding ? { encoding } : {}),
        ...(timeZone ? { timeZone } : {}),
        ...(flag(args, 'force') ? { force: true } : {}),
        ...(replaces !== undefined ? { replaces } : {}),
      },
      {
        signal: ac.signal,
        onProgress: (p) => {
          // On stderr whatever the output mode: a wait can be long, and stdout may be JSON for a script.
          if (p.phase === 'waiting' && waitingFor !== p.fileIndex) {
            waitingFor = p.fileIndex;
            io.stderr.write(
              `delivery-inspector import: waiting for another import of ${dbPath} to finish (Ctrl-C cancels)…\n`,
            );
          }
          if (tty) io.stdout.write(progressLine(p));
        },
      },
    );
    if (tty) io.stdout.write('\r\u001b[K');
    if (json)
      io.stdout.write(
        `${JSON.stringify({ files: result.files.map(jsonFile), cancelled: result.cancelled })}\n`,
      );
    else for (const f of result.files) io.stdout.write(humanFile(f));
    const failed = result.files.filter((f) => f.error !== undefined);
    if (!json) for (const f of failed) io.stderr.write(`delivery-inspector import: ${f.file}: ${f.error}\n`);
    return failed.length > 0 || result.cancelled ? 1 : 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    db.close();
  }
}
