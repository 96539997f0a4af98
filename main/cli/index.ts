/**
 * `delivery-inspector <command>`: the engine from a terminal.
 *
 * Exit codes, the same for every command:
 *   0  success; also `--help`, and output cut short because its reader went away (`| head -1`)
 *   1  failure: the command ran but could not do its work (workspace missing, unreadable or not a
 *      workspace; a file failed to import; the export could not be written; cancelled)
 *   2  usage: unknown command or option, a missing or malformed argument, a search-syntax error
 */
import { EngineError } from '../engine/errors';
import { parseArgs, UsageError, type ParsedArgs } from './args';
import { OutputClosed, watchOutput, writeWholeSync } from './output';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  /** One whole document to stdout, when there is a quicker way than the stream (writeWhole). */
  readonly writeWhole?: (text: string) => void;
  /**
   * One chunk of streamed output to stdout at once, when there is a quicker way than the stream:
   * true if written (or handed on whole), false to leave it to the stream (StreamWriter).
   */
  readonly writeChunk?: (text: string) => boolean;
}

export type Command = (args: ParsedArgs, io: CliIo) => Promise<number>;

export interface CommandEntry {
  readonly run: Command;
  /** One line: the command and its options, as after "delivery-inspector ". */
  readonly usage: string;
  /** What `<command> --help` says under the usage line. */
  readonly help?: string;
}

/**
 * One entry per command; a new command is one more entry (its file under commands/). Each command's
 * module is loaded when it runs: all of them took ~200 ms to load (the importer, the Excel reader and
 * writer among them), twice what `count` needs (measured with a timed require under load: 204 ms
 * against ~90 ms for commands/query), and every command paid it before its first line of output.
 */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  import: {
    run: (a, io) => import('./commands/import').then((m) => m.importCommand(a, io)),
    usage:
      'import --db <file.sqlite> <export.csv|.xlsx>... [--delimiter X] [--encoding X] [--time-zone Z] [--force] [--replace ID] [--json]',
    help: 'Imports delivery export CSV or Excel (.xlsx) files into the workspace (created if missing). --delimiter , ; tab |\nand --encoding utf-8|windows-1252 override detection;\n--time-zone Z says which zone times without one are in (default UTC). A file identical to one imported before\n(same size and content hash) is reported as already imported unless --force is given.\nA second import of the same workspace waits for the first. Ctrl-C cancels the running file.\n--replace ID reads one file again in place of import ID (see `imports`), e.g. with another --time-zone:\nthe old records are deleted only if the new ones are stored.',
  },
  imports: {
    run: (a, io) => import('./commands/imports').then((m) => m.importsCommand(a, io)),
    usage: 'imports --db F [--json]',
    help: 'Lists the import history, newest first: id, file, rows, status (done, failed, cancelled, removed) and why.',
  },
  'remove-import': {
    run: (a, io) => import('./commands/imports').then((m) => m.removeImportCommand(a, io)),
    usage: 'remove-import --db F <import-id> [--json]',
    help: 'Deletes the records of one import; the history keeps the entry as removed.',
  },
  query: {
    run: (a, io) => import('./commands/rows').then((m) => m.queryCommand(a, io)),
    usage: 'query --db F [--q "<search>"] [--sort <column>[:asc|desc]] [--limit N] [--json | --ndjson]',
    help: 'Lists matching records (default 50, newest first), streamed as they are read.\n--json: {"total", "rows": [...]}; --ndjson: one row object per line.',
  },
  count: {
    run: (a, io) => import('./commands/query').then((m) => m.countCommand(a, io)),
    usage: 'count --db F [--q "<search>"] [--json | --ndjson]',
    help: 'Counts matching records.',
  },
  facets: {
    run: (a, io) => import('./commands/query').then((m) => m.facetsCommand(a, io)),
    usage: 'facets --db F [--q "<search>"] [--top N] [--json | --ndjson]',
    help: 'The top values of status, substatus, details, SMTP class, domain, region and interface.',
  },
  correlation: {
    run: (a, io) => import('./commands/rows').then((m) => m.correlationCommand(a, io)),
    usage: 'correlation --db F <correlation-id> [--time-zone Z] [--json | --ndjson]',
    help: 'Every record of one Correlation ID, what changed between them, and earlier hard bounces\nbehind a suppression. --ndjson: one entry per line, then one {"priorHardBounce"} per line.',
  },
  lookup: {
    run: (a, io) => import('./commands/query').then((m) => m.lookupCommand(a, io)),
    usage: 'lookup --db F <address>... [--json | --ndjson]',
    help: 'The latest outcome per address.',
  },
  explain: {
    run: (a, io) => import('./commands/export').then((m) => m.explainCommand(a, io)),
    usage: 'explain "<smtp reply text>" [--json]',
    help: 'Explains an SMTP reply: codes, meaning, verdict and the next step.',
  },
  domains: {
    run: (a, io) => import('./commands/insights').then((m) => m.domainsCommand(a, io)),
    usage: 'domains --db F [--q "<search>"] [--limit N] [--json]',
    help: 'Recipient domains under the filter, grouped by mailbox provider: messages, delivered, bounces,\ndropped, bounce rate, a per-day trend and the top SMTP replies explained.',
  },
  incidents: {
    run: (a, io) => import('./commands/insights').then((m) => m.incidentsCommand(a, io)),
    usage: 'incidents --db F [--q "<search>"] [--json]',
    help: 'Hours in which a provider or domain bounced far above its own median rate (see README).',
  },
  typos: {
    run: (a, io) => import('./commands/insights').then((m) => m.typosCommand(a, io)),
    usage: 'typos --db F [--q "<search>"] [--limit N] [--json]',
    help: 'Likely mistyped recipient addresses of hard bounces, with the address probably meant.',
  },
  report: {
    run: (a, io) => import('./commands/report').then((m) => m.reportCommand(a, io)),
    usage: 'report --db F --out case.html|case.pdf [--q "<search>"] [--rows N] [--json]',
    help: 'Writes a self-contained case report (HTML, or PDF through Chromium) of the filter.',
  },
  export: {
    run: (a, io) => import('./commands/export').then((m) => m.exportCommand(a, io)),
    usage:
      'export --db F --out file.csv [--q "<search>"] [--sort col[:dir]] [--columns a,b] [--delimiter ;] [--bom] [--no-formula-guard] [--format csv|xlsx] [--time-zone Z] [--json]',
    help: 'Writes matching records as CSV (all 24 columns by default) or, with --format xlsx or an --out\nending in .xlsx, as an Excel workbook. The CSV formula guard is on unless --no-formula-guard.\n--out must be a regular file (a symlink is followed; devices and FIFOs are refused).\n--time-zone UTC|local|<IANA> writes Creation Time and Meta Data Creation Time in that zone with their\noffset and reads dates typed in --q there; without it a CSV keeps the times as imported, an .xlsx uses UTC.',
  },
};

export const EXIT_CODES_TEXT =
  'Exit codes: 0 success (also when the reader of the output goes away early), 1 failure, 2 usage error.\n';

export function usageText(): string {
  const lines = Object.values(COMMANDS).map((c) => `  delivery-inspector ${c.usage}`);
  return `Usage:\n${lines.join('\n')}\n\nRun delivery-inspector <command> --help for one command.\n${EXIT_CODES_TEXT}`;
}

function commandHelp(c: CommandEntry): string {
  return `Usage: delivery-inspector ${c.usage}\n${c.help ? `\n${c.help}\n` : ''}\n${EXIT_CODES_TEXT}`;
}

/** `--help` or `-h` among the options (not after `--`, where it would be a positional). */
function asksHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

let stdoutMade = false;
let stderrMade = false;

/**
 * The read commands (the ones scripts/build-cli.mjs bundles): they start no worker or child process
 * and write no file, so once one has returned and its output is written nothing is left to wait for.
 */
const READ_COMMANDS: ReadonlySet<string> = new Set(['count', 'facets', 'query', 'correlation', 'lookup']);

/**
 * Whether the launcher may end the process at once (process.exit) after `command` returned 0,
 * rather than let Node tear down the heap and the environment first. Why (issue 12, 19e): at 5M rows
 * that teardown took 24-100 ms of wall time after `count` and 62-226 ms after `facets jane` (under
 * load), against 22-83 when ended at once. Only when every byte written through a stdout or stderr
 * stream has been handed to the system: Node writes pipes asynchronously on some systems (macOS),
 * and process.exit would drop what is still queued. Output written by writeWholeSync is already out.
 */
export function mayExitAtOnce(command: string | undefined): boolean {
  if (command === undefined || !READ_COMMANDS.has(command)) return false;
  const queued = (s: NodeJS.WriteStream): boolean => s.writableLength > 0 || s.writableNeedDrain;
  return !(stdoutMade && queued(process.stdout)) && !(stderrMade && queued(process.stderr));
}

/** process.stdout, made (and watched for EPIPE) on first use. */
function processStdout(): NodeJS.WriteStream {
  if (!stdoutMade) {
    stdoutMade = true;
    watchOutput(process.stdout);
  }
  return process.stdout;
}

/** Text to fd 1 without the stream, unless the stream exists (then false: it takes everything after). */
function writeDirect(text: string): boolean {
  if (stdoutMade) return false;
  writeWholeSync(1, text, processStdout);
  return true;
}

/**
 * The process's own streams, each made when first used: Node builds process.stderr on first access,
 * and for a pipe that loads its socket code, 2.3-3 ms of CPU (fresh processes, issue 12, 16c) in
 * every command that writes nothing to it. stdout likewise (17c): a command whose output is one piece
 * writes it to fd 1 directly, and so (19e) does a streamed `query` or `correlation`, chunk by chunk;
 * the stream is made only for anything written through it (help text, a chunk fd 1 could not take at
 * once), which then also takes what follows, so nothing is reordered.
 */
const processIo: CliIo = {
  get stdout() {
    return processStdout();
  },
  get stderr() {
    stderrMade = true;
    return process.stderr;
  },
  writeWhole(text: string) {
    if (!writeDirect(text)) process.stdout.write(text);
  },
  // Streamed output (query, correlation) too, chunk by chunk, until a chunk has needed the stream.
  writeChunk: writeDirect,
};

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  // An EPIPE from stdout is recorded instead of crashing the process with a stack trace (the
  // process's own stdout is watched when it is made).
  if (io !== processIo) watchOutput(io.stdout);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usageText());
    return name === undefined ? 2 : 0;
  }
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr.write(`delivery-inspector: unknown command "${name}"\n${usageText()}`);
    return 2;
  }
  if (asksHelp(rest)) {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(parseArgs(rest), io);
  } catch (err) {
    if (err instanceof OutputClosed) return 0;
    if (err instanceof UsageError) {
      io.stderr.write(
        `delivery-inspector ${name}: ${err.message}\nUsage: delivery-inspector ${command.usage}\n`,
      );
      return 2;
    }
    if (err instanceof EngineError) {
      io.stderr.write(`delivery-inspector ${name}: ${err.message}\n`);
      return err.code === 'INVALID_ARGUMENT' || err.code === 'SEARCH_SYNTAX' ? 2 : 1;
    }
    // Anything else is a failure of the command, reported in one line rather than a stack trace.
    io.stderr.write(`delivery-inspector ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
