/**
 * `npm run bench [-- --rows N] [--runs N] [--keep] [--skip browser,append,matrix,exceljs] [--only xlsx]`: generates a synthetic export, then
 * each engine section against sqlite3 CLI baselines measured in the same run (the CLI import in turns
 * with the engine's), and prints every figure with its target. Misses are printed, not thrown: the bench informs, the
 * tests decide.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchAppend } from './append';
import { baselineIndexSql } from './baseline-sql';
import { benchBrowser } from './browser';
import { benchCli } from './cli';
import { benchConcurrent } from './concurrent';
import { flushDisk, removeDatabase, type BenchContext, type BenchFigure } from './context';
import { benchExport } from './export';
import { writeExport } from './generate';
import { benchImport } from './import';
import { benchMatrix } from './matrix';
import { benchMatrixFresh } from './matrix-fresh';
import { benchInsights } from './insights';
import { benchQuery } from './query';
import { benchReimport } from './reimport';
import { benchXlsx } from './xlsx';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

/**
 * One run of the CLI's `.import` plus the same indexes into a fresh file, in ms; null without the CLI.
 * The import section alternates it with the engine's runs, so drift in machine speed hits both alike.
 */
function sqliteCliImport(csv: string, dir: string): (() => number) | null {
  const which = spawnSync('sqlite3', ['-version']);
  if (which.status !== 0) return null;
  const script = [
    'PRAGMA journal_mode=WAL;',
    '.mode csv',
    `.import '${csv}' records`,
    ...baselineIndexSql(),
  ].join('\n');
  return () => {
    const db = path.join(dir, 'baseline.sqlite');
    removeDatabase(db);
    flushDisk();
    const t0 = performance.now();
    execFileSync('sqlite3', [db], { input: script, stdio: ['pipe', 'ignore', 'inherit'] });
    const ms = performance.now() - t0;
    removeDatabase(db);
    return ms;
  };
}

async function section(
  name: string,
  skip: readonly string[],
  fn: () => Promise<void>,
  log: (l: string) => void,
): Promise<void> {
  if (skip.includes(name)) {
    log(`-- ${name}: skipped (--skip)`);
    return;
  }
  log(`-- ${name}`);
  try {
    await fn();
  } catch (err) {
    log(`!! ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  }
}

function format(f: BenchFigure): string {
  const value =
    f.unit === 'ms' ? `${f.value.toFixed(f.value < 100 ? 1 : 0)} ms` : `${f.value.toFixed(1)} ${f.unit}`;
  const ratio = f.ratio === undefined ? '' : ` (${f.ratio.toFixed(2)}x baseline)`;
  return `${f.ok ? 'ok  ' : 'MISS'} ${f.name.padEnd(48)} ${value.padStart(12)}${ratio}  target ${f.target}${f.note ? `  [${f.note}]` : ''}`;
}

async function main(): Promise<void> {
  const rows = Number(argValue('rows') ?? 1_000_000);
  const only = (argValue('only') ?? '').split(',').filter(Boolean);
  // Every section main() runs, in order: --only must name what to keep of all of them.
  const sections = [
    'import',
    'matrix-fresh',
    'reimport',
    'append',
    'query',
    'matrix',
    'cli',
    'export',
    'insights',
    'browser',
    'concurrent',
    'xlsx',
  ];
  // --only a,b: every other section is skipped (the xlsx section builds its own workspace if needed).
  const skip = [
    ...(argValue('skip') ?? '').split(',').filter(Boolean),
    ...(only.length > 0 ? sections.filter((s) => !only.includes(s)) : []),
  ];
  const runs = Math.max(1, Number(argValue('runs') ?? 3));
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'di-bench-'));
  const figures: BenchFigure[] = [];
  const log = (line: string): void => console.log(line);
  try {
    const csvPath = path.join(workDir, 'export.csv');
    log(`generating ${rows.toLocaleString('en')} rows ...`);
    // 0.5 % of undeliverable messages are planted typos, so the typo list's figure has hints to find.
    const csvBytes = await writeExport(csvPath, { rows, typoShare: 0.005 });
    log(`  ${(csvBytes / 2 ** 20).toFixed(0)} MiB at ${csvPath}`);
    const cliImport = sqliteCliImport(csvPath, workDir);
    if (cliImport === null) log('sqlite3 CLI not found: ratios unavailable');
    const ctx: BenchContext = {
      rows,
      workDir,
      csvPath,
      csvBytes,
      runs,
      dbPath: null,
      cliImport,
      baseline: { importMs: null, exportMs: null },
      report: (f) => {
        figures.push(f);
        log(format(f));
      },
      log: (l) => log(`  ${l}`),
    };
    await section('import', skip, () => benchImport(ctx), log);
    const needDb = ['query', 'cli', 'export', 'browser', 'concurrent'].some((s) => !skip.includes(s));
    if (ctx.dbPath === null && needDb)
      throw new Error('the import section produced no database; later sections need one');
    if (ctx.dbPath !== null) log(`  workspace ${(statSync(ctx.dbPath).size / 2 ** 20).toFixed(0)} MiB`);
    // Right after the import: the case as a user has it then (matrix-fresh.ts).
    await section('matrix-fresh', skip, () => benchMatrixFresh(ctx), log);
    await section('reimport', skip, () => benchReimport(ctx), log);
    await section('append', skip, () => benchAppend(ctx), log);
    await section('query', skip, () => benchQuery(ctx), log);
    await section('matrix', skip, () => benchMatrix(ctx), log);
    await section('cli', skip, () => benchCli(ctx), log);
    await section('export', skip, () => benchExport(ctx), log);
    await section('insights', skip, () => benchInsights(ctx), log);
    await section('browser', skip, () => benchBrowser(ctx), log);
    await section('concurrent', skip, () => benchConcurrent(ctx), log);
    await section('xlsx', skip, () => benchXlsx(ctx, !skip.includes('exceljs')), log);
    log('\n== summary');
    for (const f of figures) log(format(f));
    const misses = figures.filter((f) => !f.ok).length;
    log(`${figures.length - misses} of ${figures.length} figures on target`);
  } finally {
    if (process.argv.includes('--keep')) log(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
