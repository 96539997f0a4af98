/**
 * Export section of `npm run bench`: the sqlite3 CLI's CSV export of every record, newest first,
 * as the baseline (measured here when nobody has yet), against the engine's runExport of the same
 * rows with the formula guard on (the default), interleaved so both see the same machine load; plus
 * fast-csv's formatter on a 100k-row prefix, for comparison only (it is not used by the engine).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, createWriteStream, openSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { format } from 'fast-csv';
import { COLUMNS } from '../common/columns';
import type { ExportResult } from '../common/contract';
import { median, type BenchContext } from './context';
import { openDatabase } from '../main/engine/db/open';
import { runExport } from '../main/engine/export/exporter';

const RUNS = 3;
const FAST_CSV_ROWS = 100_000;
const COLUMN_LIST = COLUMNS.map((c) => c.id).join(', ');

function cliExport(dbPath: string, out: string): number | null {
  const fd = openSync(out, 'w');
  try {
    const t0 = performance.now();
    const r = spawnSync(
      'sqlite3',
      ['-csv', '-header', dbPath, `SELECT ${COLUMN_LIST} FROM records ORDER BY creation_time_ms DESC, id`],
      {
        stdio: ['ignore', fd, 'inherit'],
      },
    );
    const ms = performance.now() - t0;
    return r.status === 0 ? ms : null;
  } finally {
    closeSync(fd);
  }
}

async function engineExport(dbPath: string, out: string): Promise<{ ms: number; result: ExportResult }> {
  const db = openDatabase(dbPath);
  try {
    const t0 = performance.now();
    const result = await runExport(
      db,
      {
        jobId: 'bench',
        path: out,
        filter: {},
        sort: [{ column: 'creation_time', dir: 'desc' }],
        delimiter: ',',
        bom: false,
        formulaGuard: true,
      },
      { signal: new AbortController().signal, onProgress: () => undefined },
    );
    return { ms: performance.now() - t0, result };
  } finally {
    db.close();
  }
}

/** fast-csv's formatter over the first rows, newest first, into a file; returns rows/s. */
async function fastCsvRowsPerSecond(dbPath: string, out: string): Promise<number> {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    const rows = db
      .prepare(`SELECT ${COLUMN_LIST} FROM records ORDER BY creation_time_ms DESC, id LIMIT ${FAST_CSV_ROWS}`)
      .raw(true)
      .all() as unknown[][];
    const t0 = performance.now();
    const sink = createWriteStream(out);
    const csv = format({ headers: COLUMNS.map((c) => c.header), writeHeaders: true });
    csv.pipe(sink);
    for (const row of rows) if (!csv.write(row)) await once(csv, 'drain');
    csv.end();
    await once(sink, 'finish');
    return rows.length / ((performance.now() - t0) / 1000);
  } finally {
    db.close();
  }
}

export async function benchExport(ctx: BenchContext): Promise<void> {
  if (ctx.dbPath === null) {
    ctx.log('  no workspace database (import section did not run); export skipped');
    return;
  }
  const cliOut = path.join(ctx.workDir, 'export-cli.csv');
  const engineOut = path.join(ctx.workDir, 'export-engine.csv');
  const measureBaseline = ctx.baseline.exportMs === null;
  const cliTimes: number[] = [];
  const engineTimes: number[] = [];
  let last: ExportResult | null = null;
  try {
    for (let i = 0; i < RUNS; i++) {
      if (measureBaseline) {
        const ms = cliExport(ctx.dbPath, cliOut);
        if (ms !== null) cliTimes.push(ms);
      }
      const run = await engineExport(ctx.dbPath, engineOut);
      engineTimes.push(run.ms);
      last = run.result;
    }
    if (measureBaseline && cliTimes.length > 0) ctx.baseline.exportMs = median(cliTimes);
    const base = ctx.baseline.exportMs;
    const ms = median(engineTimes);
    const rows = last?.rowsWritten ?? 0;
    const ratio = base === null ? undefined : ms / base;
    if (base !== null) ctx.log(`  sqlite3 CLI export baseline: ${(base / 1000).toFixed(2)} s`);
    ctx.report({
      name: `export: ${rows.toLocaleString('en')} rows, guard on`,
      value: ms,
      unit: 'ms',
      target: '<= 2.0x sqlite3 CLI .mode csv',
      ok: ratio !== undefined && ratio <= 2.0,
      ...(ratio !== undefined ? { ratio } : {}),
      note: `${last?.rowsWritten} written / ${last?.expectedRows} expected, ${((last?.bytes ?? 0) / 2 ** 20).toFixed(0)} MiB${base === null ? '; no sqlite3 CLI baseline' : ''}`,
    });
    ctx.report({
      name: 'export: engine rows/s',
      value: rows / (ms / 1000),
      unit: 'rows/s',
      target: 'information',
      ok: true,
    });
    const fastCsv = await fastCsvRowsPerSecond(ctx.dbPath, path.join(ctx.workDir, 'export-fastcsv.csv'));
    ctx.report({
      name: `export: fast-csv formatter rows/s (first ${Math.min(FAST_CSV_ROWS, rows).toLocaleString('en')} rows)`,
      value: fastCsv,
      unit: 'rows/s',
      target: 'comparison only (not used by the engine)',
      ok: true,
      note: 'formatting + writing only: rows already read into memory, unlike the engine figure',
    });
  } finally {
    for (const f of [cliOut, engineOut, path.join(ctx.workDir, 'export-fastcsv.csv')])
      rmSync(f, { force: true });
  }
}
