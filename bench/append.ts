/**
 * Append section of `npm run bench` (issue 11, "growing cases"): into copies of the case the import
 * section built (ctx.rows rows), a new 300k-row export and, into a fresh copy, a new 30k-row one;
 * each against a fresh import of the same file into an empty workspace and against the sqlite3 CLI
 * appending the same rows to its own table of the case's rows with the same indexes. One run each:
 * the appends are the slowest steps of the bench.
 */
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { baselineIndexSql } from './baseline-sql';
import { flushDisk, removeDatabase, type BenchContext } from './context';
import { writeExport } from './generate';
import { runChild, type ChildResult } from './import';

const FILES = [
  { rows: 300_000, seed: 5, target: 1.5 },
  { rows: 30_000, seed: 7, target: 3 },
] as const;

/** After the case's month (the generator's default start), as the next day's export would be. */
const NEW_ROWS_FROM = Date.UTC(2026, 10, 5);

/**
 * When each phase began, e.g. "rows 0.52 s, indexes 6.72 s, search-index 13.78 s": the rows phase
 * runs to the index phase (or, with every index kept in place, to the commit), the index phase to
 * the commit, which ends where the search-index phase begins (grid-ready).
 */
function phaseTimes(r: ChildResult): string {
  const starts = Object.entries(r.phaseStartMs ?? {}).filter(([phase]) => phase !== 'sniffing');
  return starts.map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(2)} s`).join(', ');
}

const fileBytes = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

/** The CLI's case: its `.import` of the bench export plus the same indexes, built once. */
function cliCase(ctx: BenchContext): string | null {
  if (spawnSync('sqlite3', ['-version']).status !== 0) return null;
  const db = path.join(ctx.workDir, 'cli-case.sqlite');
  removeDatabase(db);
  const script = [
    'PRAGMA journal_mode=WAL;',
    '.mode csv',
    `.import '${ctx.csvPath}' records`,
    ...baselineIndexSql(),
  ];
  execFileSync('sqlite3', [db], { input: script.join('\n'), stdio: ['pipe', 'ignore', 'inherit'] });
  return db;
}

/** ms for the CLI to append `csv` (header skipped) to a copy of its case, indexes maintained. */
function cliAppend(caseDb: string, csv: string, dir: string): number {
  const db = path.join(dir, 'cli-append.sqlite');
  removeDatabase(db);
  copyFileSync(caseDb, db);
  flushDisk();
  const t0 = performance.now();
  execFileSync('sqlite3', [db], {
    input: `PRAGMA journal_mode=WAL;\n.import --csv --skip 1 '${csv}' records\n`,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  const ms = performance.now() - t0;
  removeDatabase(db);
  return ms;
}

async function appendInto(
  ctx: BenchContext,
  caseDb: string,
  csv: string,
  name: string,
): Promise<{ result: ChildResult; bytesPerRow: number }> {
  const db = path.join(ctx.workDir, name);
  removeDatabase(db);
  copyFileSync(caseDb, db);
  flushDisk();
  const r = await runChild(csv, db);
  if (r.error !== undefined) throw new Error(`append failed: ${r.error}`);
  // The WAL was checkpointed beside the search-index build; what is left in it counts too.
  const bytesPerRow = (fileBytes(db) + fileBytes(`${db}-wal`)) / (ctx.rows + r.rows);
  ctx.log(
    `append ${r.rows} rows: grid-ready ${(r.gridReadyMs / 1000).toFixed(2)} s, search-index ready ${(r.searchReadyMs / 1000).toFixed(2)} s, peak RSS ${r.maxRssMb.toFixed(0)} MB, ${bytesPerRow.toFixed(0)} B/row; phases began at: ${phaseTimes(r)}`,
  );
  removeDatabase(db);
  return { result: r, bytesPerRow };
}

export async function benchAppend(ctx: BenchContext): Promise<void> {
  const caseDb = ctx.dbPath;
  if (caseDb === null) throw new Error('the append section needs the case built by the import section');
  const caseBytesPerRow = fileBytes(caseDb) / ctx.rows;
  const cli = cliCase(ctx);
  if (cli === null) ctx.log('sqlite3 CLI not found: no CLI append baseline');
  let rss = 0;
  let worstSize = 0;
  for (const f of FILES) {
    const csv = path.join(ctx.workDir, `new-${f.rows}.csv`);
    await writeExport(csv, { rows: f.rows, seed: f.seed, startMs: NEW_ROWS_FROM });
    const { result: appended, bytesPerRow } = await appendInto(ctx, caseDb, csv, `append-${f.rows}.sqlite`);
    const freshDb = path.join(ctx.workDir, `fresh-${f.rows}.sqlite`);
    removeDatabase(freshDb);
    flushDisk();
    const fresh = await runChild(csv, freshDb);
    removeDatabase(freshDb);
    ctx.log(
      `fresh import of the ${f.rows} rows: grid-ready ${(fresh.gridReadyMs / 1000).toFixed(2)} s, search-index ready ${(fresh.searchReadyMs / 1000).toFixed(2)} s; phases began at: ${phaseTimes(fresh)}`,
    );
    rss = Math.max(rss, appended.maxRssMb);
    worstSize = Math.max(worstSize, bytesPerRow / caseBytesPerRow);
    const ratio = appended.gridReadyMs / fresh.gridReadyMs;
    ctx.report({
      name: `append: ${f.rows} rows to ${ctx.rows} (grid-ready)`,
      value: appended.gridReadyMs,
      unit: 'ms',
      target: `<= ${f.target}x fresh import`,
      ok: ratio <= f.target,
      ratio,
      note: `fresh import of the same file ${fresh.gridReadyMs.toFixed(0)} ms (baseline)`,
    });
    const searchRatio = appended.searchReadyMs / fresh.searchReadyMs;
    ctx.report({
      name: `append: ${f.rows} rows, search-index ready`,
      value: appended.searchReadyMs,
      unit: 'ms',
      target: 'info',
      ok: true,
      ratio: searchRatio,
      note: `fresh import ${fresh.searchReadyMs.toFixed(0)} ms (baseline)`,
    });
    if (cli !== null) {
      const cliMs = cliAppend(cli, csv, ctx.workDir);
      const vsCli = appended.gridReadyMs / cliMs;
      ctx.report({
        name: `append: ${f.rows} rows vs sqlite3 CLI append`,
        value: appended.gridReadyMs,
        unit: 'ms',
        target: '< 1.0x sqlite3 CLI append',
        ok: vsCli < 1,
        ratio: vsCli,
        note: `CLI .import into its ${ctx.rows}-row table with the same indexes: ${cliMs.toFixed(0)} ms`,
      });
    }
  }
  if (cli !== null) removeDatabase(cli);
  ctx.report({ name: 'append: peak RSS', value: rss, unit: 'MB', target: '<= 300 MB', ok: rss <= 300 });
  ctx.report({
    name: 'append: workspace bytes per row vs the case',
    value: worstSize * 100,
    unit: '%',
    target: '<= 110 % of the case built by one import',
    ok: worstSize <= 1.1,
    note: `the case: ${caseBytesPerRow.toFixed(0)} B/row`,
  });
}
