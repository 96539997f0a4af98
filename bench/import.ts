/**
 * Import section of `npm run bench`: the engine's import of the generated export into a fresh
 * workspace, timed to grid-ready (rows + B-tree indexes committed) and to search-index-ready, against
 * the sqlite3 CLI baseline; peak RSS of the import alone (it runs in a child process); and the CSV
 * parsers side by side on the same file: this engine's, papaparse, fast-csv.
 */
import { spawn } from 'node:child_process';
import { createReadStream, closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { parseStream } from 'fast-csv';
import Papa from 'papaparse';
import { flushDisk, min, peakRssMb, removeDatabase, type BenchContext } from './context';
import { openDatabase } from '../main/engine/db/open';
import { runImport } from '../main/engine/import/importer';
import { CsvParser } from '../main/engine/import/csv';
import type { ImportPhase } from '../common/contract';

export interface ChildResult {
  readonly gridReadyMs: number;
  readonly searchReadyMs: number;
  /** The last phase (import/keep-memories.ts): the readers' memories kept in the workspace, after search-index ready. */
  readonly memoriesMs: number;
  readonly rows: number;
  readonly maxRssMb: number;
  /** Peak RSS when the memories phase began: which phase the peak is in (it runs after the others). */
  readonly maxRssBeforeMemoriesMb?: number;
  /** ms from the start to the first progress event of each phase (where the append's time goes). */
  readonly phaseStartMs?: Readonly<Partial<Record<ImportPhase, number>>>;
  readonly error?: string;
}

/** fast-csv runs at ~20k rows/s: measured on a prefix so the bench stays short. */
const FAST_CSV_ROWS = 100_000;

/** Runs in the child: import `csv` into `db` and print the timings as JSON. */
async function childMain(csv: string, db: string): Promise<void> {
  const t0 = performance.now();
  let gridReadyMs = 0;
  let searchReadyMs = 0;
  let maxRssBeforeMemoriesMb: number | undefined;
  const phaseStartMs: Partial<Record<ImportPhase, number>> = {};
  const conn = openDatabase(db);
  const result = await runImport(
    conn,
    { jobId: 'bench', paths: [csv] },
    {
      signal: new AbortController().signal,
      onProgress: (p) => {
        phaseStartMs[p.phase] ??= performance.now() - t0;
        if (p.phase === 'search-index' || (p.phase === 'done' && gridReadyMs === 0))
          gridReadyMs = performance.now() - t0;
        // Search-index ready ends where the memories phase begins (the search index is committed).
        if (p.phase === 'memories') {
          searchReadyMs = performance.now() - t0;
          maxRssBeforeMemoriesMb ??= peakRssMb();
        }
      },
    },
  );
  const doneMs = performance.now() - t0;
  if (searchReadyMs === 0) searchReadyMs = doneMs;
  conn.close();
  const file = result.files[0];
  const out: ChildResult = {
    gridReadyMs,
    searchReadyMs,
    memoriesMs: doneMs - searchReadyMs,
    rows: file?.imported ?? 0,
    maxRssMb: peakRssMb(),
    ...(maxRssBeforeMemoriesMb !== undefined ? { maxRssBeforeMemoriesMb } : {}),
    phaseStartMs,
    ...(file?.error !== undefined ? { error: file.error } : {}),
  };
  process.stdout.write(JSON.stringify(out));
}

export function runChild(csv: string, db: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename, '--child', csv, db], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`import child exited with ${code}`));
      else resolve(JSON.parse(out) as ChildResult);
    });
  });
}

function engineParse(csv: string): number {
  let rows = 0;
  const parser = new CsvParser(',', { record: () => rows++, bad: () => rows++ });
  const fd = openSync(csv, 'r');
  const buf = Buffer.alloc(1 << 20);
  const dec = new TextDecoder();
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      parser.push(dec.decode(buf.subarray(0, n), { stream: true }));
    }
    parser.end();
  } finally {
    closeSync(fd);
  }
  return rows - 1;
}

function papaParse(csv: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    Papa.parse<string[]>(createReadStream(csv, 'utf8'), {
      step: () => void rows++,
      complete: () => resolve(rows - 1),
      error: reject,
    });
  });
}

function fastCsvParse(csv: string, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    const stream = createReadStream(csv);
    const parser = parseStream(stream, { headers: false, maxRows: limit + 1 });
    parser.on('data', () => rows++);
    parser.on('end', () => {
      stream.destroy();
      resolve(rows - 1);
    });
    parser.on('error', reject);
  });
}

async function rate(fn: () => number | Promise<number>): Promise<{ rows: number; perSecond: number }> {
  const t0 = performance.now();
  const rows = await fn();
  return { rows, perSecond: rows / ((performance.now() - t0) / 1000) };
}

/**
 * The engine's import, `ctx.runs` times into a fresh workspace, each run right after one of the CLI's:
 * alternating keeps the two comparable when the machine's speed drifts. The best of each counts.
 */
async function bestImport(ctx: BenchContext): Promise<ChildResult> {
  const db = path.join(ctx.workDir, 'engine.sqlite');
  const results: ChildResult[] = [];
  const cli: number[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    if (ctx.cliImport) {
      cli.push(ctx.cliImport());
      ctx.log(`sqlite3 CLI .import + indexes run ${i + 1}: ${((cli[i] ?? 0) / 1000).toFixed(2)} s`);
    }
    removeDatabase(db);
    flushDisk();
    const r = await runChild(ctx.csvPath, db);
    if (r.error !== undefined) throw new Error(`import failed: ${r.error}`);
    ctx.log(
      `engine import run ${i + 1}: grid-ready ${(r.gridReadyMs / 1000).toFixed(2)} s, search-index ready ${(r.searchReadyMs / 1000).toFixed(2)} s, memories kept ${(r.memoriesMs / 1000).toFixed(2)} s later, peak RSS ${r.maxRssMb.toFixed(0)} MB (${r.maxRssBeforeMemoriesMb?.toFixed(0) ?? '?'} MB before the memories phase)`,
    );
    results.push(r);
  }
  ctx.dbPath = db;
  ctx.baseline.importMs = cli.length > 0 ? min(cli) : null;
  return {
    gridReadyMs: min(results.map((r) => r.gridReadyMs)),
    searchReadyMs: min(results.map((r) => r.searchReadyMs)),
    memoriesMs: min(results.map((r) => r.memoriesMs)),
    rows: results[0]?.rows ?? 0,
    maxRssMb: Math.max(...results.map((r) => r.maxRssMb)),
  };
}

export async function benchImport(ctx: BenchContext): Promise<void> {
  const r = await bestImport(ctx);
  const base = ctx.baseline.importMs;
  const gridRatio = base ? r.gridReadyMs / base : undefined;
  const searchRatio = base ? r.searchReadyMs / base : undefined;
  ctx.report({
    name: 'import: grid-ready (rows + B-tree indexes)',
    value: r.gridReadyMs,
    unit: 'ms',
    target: '<= 1.0x sqlite3 CLI',
    ok: gridRatio !== undefined && gridRatio <= 1.0,
    ...(gridRatio !== undefined ? { ratio: gridRatio } : {}),
    note: `best of ${ctx.runs} runs, each after a CLI run (best of those is the baseline)`,
  });
  ctx.report({
    name: 'import: search-index ready',
    value: r.searchReadyMs,
    unit: 'ms',
    target: '<= 2.0x sqlite3 CLI',
    ok: searchRatio !== undefined && searchRatio <= 2.0,
    ...(searchRatio !== undefined ? { ratio: searchRatio } : {}),
    note: `best of ${ctx.runs} runs`,
  });
  ctx.report({
    name: 'import: memories kept (last phase)',
    value: r.memoriesMs,
    unit: 'ms',
    target: 'info',
    ok: true,
    note: `after search-index ready; best of ${ctx.runs} runs; a fresh case then opens with them (matrix-fresh)`,
  });
  ctx.report({
    name: 'import: rows/s to grid-ready',
    value: r.rows / (r.gridReadyMs / 1000),
    unit: 'rows/s',
    target: 'info',
    ok: true,
    note: `${r.rows} rows`,
  });
  ctx.report({
    name: 'import: peak RSS',
    value: r.maxRssMb,
    unit: 'MB',
    target: '<= 300 MB',
    ok: r.maxRssMb <= 300,
    note: 'import child process',
  });
  const engine = await rate(() => engineParse(ctx.csvPath));
  ctx.report({
    name: 'parse: engine CSV parser',
    value: engine.perSecond,
    unit: 'rows/s',
    target: 'info',
    ok: true,
    note: `${engine.rows} rows`,
  });
  const papa = await rate(() => papaParse(ctx.csvPath));
  ctx.report({
    name: 'parse: papaparse',
    value: papa.perSecond,
    unit: 'rows/s',
    target: 'info',
    ok: true,
    note: `${papa.rows} rows`,
  });
  const fast = await rate(() => fastCsvParse(ctx.csvPath, Math.min(FAST_CSV_ROWS, ctx.rows)));
  ctx.report({
    name: 'parse: fast-csv',
    value: fast.perSecond,
    unit: 'rows/s',
    target: 'info',
    ok: true,
    note: `first ${fast.rows} rows only`,
  });
}

if (process.argv[2] === '--child' && process.argv[3] !== undefined && process.argv[4] !== undefined) {
  childMain(process.argv[3], process.argv[4]).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
