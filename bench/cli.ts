/**
 * `--only cli`: the command line's `count`, `facets` and `query --limit 100` for every filter of the
 * search matrix (bench/matrix.ts), end to end (a process each, as a user runs them), and the same
 * engine calls alone on a fresh read-only connection (what the CLI opens: no worker threads, no
 * memories loaded, nothing cached; the kept memories the search needs are read as the command reads
 * them, within the time). Each worst case is printed against the engine's target; end to end the
 * target adds the start of a bare Node process (`node -e 0`), measured in the same run, which is not
 * the engine's to spend. Each line also gives the engine call timed in a process of its own
 * (cli-engine.ts: code as cold as the command's), and each command the worst of end to end less
 * process start less that: the time outside Node's start and the engine (16c).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FilterModel } from '../common/contract';
import { CLI_ENGINE, engineAlone, QUERY_LIMIT, type CliCommandName } from './cli-engine';
import { median, type BenchContext } from './context';
import { MATRIX_FILTERS } from './matrix';

const BIN = path.join(__dirname, '..', '..', 'bin', 'delivery-inspector.js');
const ENGINE_SCRIPT = path.join(__dirname, 'cli-engine.js');

interface Command {
  readonly name: CliCommandName;
  /** The target for the engine's answer, in ms. */
  readonly target: number;
  readonly args: (q: string) => string[];
}

const COMMANDS: readonly Command[] = [
  { name: 'count', target: 150, args: (q) => ['count', ...(q === '' ? [] : ['--q', q]), '--json'] },
  {
    name: 'facets',
    target: 300,
    args: (q) => ['facets', ...(q === '' ? [] : ['--q', q]), '--top', '10', '--json'],
  },
  {
    // The command prints the total and the newest rows: the count and one sorted page (300 ms: any sort).
    name: 'query',
    target: 300,
    args: (q) => ['query', ...(q === '' ? [] : ['--q', q]), '--limit', String(QUERY_LIMIT), '--json'],
  },
];

function bundleCurrent(): boolean {
  const dir = path.join(__dirname, '..', 'main', 'cli');
  try {
    return statSync(path.join(dir, 'bundle.js')).mtimeMs >= statSync(path.join(dir, 'index.js')).mtimeMs;
  } catch {
    return false;
  }
}

function codeCacheFiles(): string {
  try {
    const names = readdirSync(path.join(__dirname, '..', 'main', 'cli', 'code-cache'));
    const tags = names.filter((n) => n.endsWith('.v8')).map((n) => n.split('.')[1] ?? '');
    return tags.length === 0 ? 'none yet' : `for ${tags.join(', ')}`;
  } catch {
    return 'none yet';
  }
}

function run(args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${String(r.status)}: ${String(r.stderr)}`);
  return ms;
}

/** The engine call timed in a process of its own (cli-engine.ts): its code as cold as the command's. */
function engineFresh(name: CliCommandName, dbPath: string, q: string): number {
  const r = spawnSync(process.execPath, [ENGINE_SCRIPT, name, dbPath, q], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cli-engine ${name} ${q} exited ${String(r.status)}: ${r.stderr}`);
  return Number(r.stdout.trim());
}

export function benchCli(ctx: BenchContext): Promise<void> {
  const dbPath = ctx.dbPath;
  if (dbPath === null) throw new Error('needs the imported workspace');
  const start = median(Array.from({ length: 5 }, () => run(['-e', '0'])));
  ctx.log(`process start (node -e 0): ${start.toFixed(0)} ms`);
  // The launcher takes the read commands' bundle only when it is not older than the compiled modules
  // (scripts/build-cli.mjs; `tsc` alone leaves it stale): the figures differ by ~60 ms a command.
  ctx.log(
    `bin entry: ${bundleCurrent() ? 'dist/main/cli/bundle.js' : 'dist/main/cli/index.js (no current bundle)'}`,
  );
  // The launcher compiles the bundle with a V8 code cache per command (main/cli/code-cache.ts), written
  // by a command's first run that ends 0: a command with none pays its compile on its first filter.
  ctx.log(`bin code cache: ${codeCacheFiles()} (dist/main/cli/code-cache)`);
  for (const c of COMMANDS) {
    let whole = { ms: 0, q: '' };
    let alone = { ms: 0, q: '' };
    let outside = { ms: -Infinity, q: '' };
    for (const q of MATRIX_FILTERS) {
      const filter: FilterModel = q === '' ? {} : { q };
      const e2e = run([BIN, ...c.args(q), '--db', dbPath]);
      const engine = engineAlone(dbPath, (db) => CLI_ENGINE[c.name](db, filter));
      const fresh = engineFresh(c.name, dbPath, q);
      const label = q === '' ? '(none)' : q;
      ctx.log(
        `${c.name.padEnd(6)} ${label.padEnd(42)} end to end ${e2e.toFixed(0).padStart(5)} ms  engine alone ${engine.toFixed(0).padStart(5)} ms  (in a fresh process ${fresh.toFixed(0).padStart(5)} ms)`,
      );
      if (e2e > whole.ms) whole = { ms: e2e, q: label };
      if (engine > alone.ms) alone = { ms: engine, q: label };
      if (e2e - start - fresh > outside.ms) outside = { ms: e2e - start - fresh, q: label };
    }
    // What is neither Node's start nor the engine (launcher, bundle, better-sqlite3, open, output, exit),
    // with the engine timed as cold as the command runs it: informational, noisy (two processes apart).
    ctx.log(
      `  ${c.name}: end to end - process start - engine in a fresh process, worst filter: ${outside.ms.toFixed(0)} ms (${outside.q})`,
    );
    ctx.report({
      name: `cli: ${c.name}, engine alone (worst filter)`,
      value: alone.ms,
      unit: 'ms',
      target: `<= ${c.target} ms`,
      ok: alone.ms <= c.target,
      note: `${alone.q}; ${MATRIX_FILTERS.length} filters, fresh read-only connection`,
    });
    ctx.report({
      name: `cli: ${c.name}, end to end (worst filter)`,
      value: whole.ms,
      unit: 'ms',
      target: `<= ${c.target} ms + process start ${start.toFixed(0)} ms`,
      ok: whole.ms <= c.target + start,
      note: `${whole.q}`,
    });
  }
  return Promise.resolve();
}
