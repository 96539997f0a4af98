/**
 * Excel section of `npm run bench` (`--only xlsx` runs it alone): the engine's .xlsx export of the
 * workspace (inline strings), its import of that file and of the same records as Excel stores them
 * (shared-string table after the sheet), each in a child process for its own peak RSS; and
 * exceljs's streaming writer and reader on the same rows and files in the same run, so the choice
 * of a small reader/writer over a library stays visible.
 */
import { spawn } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { COLUMNS } from '../common/columns';
import { openDatabase } from '../main/engine/db/open';
import { runImport } from '../main/engine/import/importer';
import { runXlsxExport } from '../main/engine/xlsx/export';
import { flushDisk, peakRssMb, removeDatabase, type BenchContext } from './context';
import { writeSharedStringWorkbook } from './xlsx-shared';

interface ChildResult {
  readonly ms: number;
  readonly rows: number;
  readonly maxRssMb: number;
  readonly note?: string;
}

type Job = 'export' | 'import' | 'exceljs-write' | 'exceljs-read';
const quiet = { signal: new AbortController().signal, onProgress: () => undefined };

async function childJob(job: Job, input: string, output: string): Promise<ChildResult> {
  const t0 = performance.now();
  const done = (rows: number, note?: string): ChildResult => ({
    ms: performance.now() - t0,
    rows,
    maxRssMb: peakRssMb(),
    ...(note ? { note } : {}),
  });
  if (job === 'export') {
    const db = openDatabase(input);
    try {
      const r = await runXlsxExport(
        db,
        {
          jobId: 'b',
          path: output,
          filter: {},
          sort: [],
          delimiter: ',',
          bom: false,
          formulaGuard: true,
          format: 'xlsx',
        },
        quiet,
      );
      return done(r.rowsWritten, `${(r.bytes / 2 ** 20).toFixed(0)} MiB, ${r.sheets} sheet(s)`);
    } finally {
      db.close();
    }
  }
  if (job === 'import') {
    const db = openDatabase(output);
    let gridReady = 0;
    try {
      const r = await runImport(
        db,
        { jobId: 'b', paths: [input] },
        {
          signal: new AbortController().signal,
          onProgress: (p) => {
            if (gridReady === 0 && (p.phase === 'search-index' || p.phase === 'done'))
              gridReady = performance.now() - t0;
          },
        },
      );
      const f = r.files[0];
      if (f.error !== undefined) throw new Error(f.error);
      return { ...done(f.imported + f.duplicates, `${f.rejected} rejected`), ms: gridReady };
    } finally {
      db.close();
    }
  }
  // Loaded only by its own jobs: required at the top, its ~20 MB of module code (RSS 51 -> 71 MB at
  // load) was counted in the engine's import and export peaks, which never load it.
  const ExcelJS = await import('exceljs');
  if (job === 'exceljs-write') {
    const db = openDatabase(input, { readonly: true });
    try {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
        filename: output,
        useStyles: true,
        useSharedStrings: false,
      });
      const ws = wb.addWorksheet('Deliveries');
      ws.columns = COLUMNS.map((c) => ({
        header: c.header,
        key: c.id,
        width: 20,
        ...(c.kind === 'time' ? { style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } } : {}),
      }));
      const cols = COLUMNS.map((c) => (c.kind === 'time' ? `${c.id}_ms` : c.id));
      let rows = 0;
      for (const row of db
        .prepare(`SELECT ${cols.join(', ')} FROM records ORDER BY id`)
        .raw(true)
        .iterate() as Iterable<(string | number | null)[]>) {
        ws.addRow(
          row.map((v, i) => (COLUMNS[i].kind === 'time' && typeof v === 'number' ? new Date(v) : v)),
        ).commit();
        rows++;
      }
      ws.commit();
      await wb.commit();
      return done(rows);
    } finally {
      db.close();
    }
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let rows = 0;
  for await (const ws of reader) for await (const row of ws) if (row.number > 1) rows++;
  return done(rows, 'rows read and counted only, nothing stored');
}

function runChild(job: Job, input: string, output: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename, '--xlsx-child', job, input, output], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code !== 0
        ? reject(new Error(`${job} child exited with ${code}`))
        : resolve(JSON.parse(out) as ChildResult),
    );
  });
}

async function workspaceFor(ctx: BenchContext): Promise<string> {
  if (ctx.dbPath !== null) return ctx.dbPath;
  const dbPath = path.join(ctx.workDir, 'xlsx-workspace.sqlite');
  ctx.log('no workspace from the import section: importing the CSV for this section');
  const db = openDatabase(dbPath);
  try {
    await runImport(db, { jobId: 'b', paths: [ctx.csvPath] }, quiet);
  } finally {
    db.close();
  }
  return dbPath;
}

export async function benchXlsx(ctx: BenchContext, exceljsRows: boolean): Promise<void> {
  const ws = await workspaceFor(ctx);
  const inline = path.join(ctx.workDir, 'export-engine.xlsx');
  const shared = path.join(ctx.workDir, 'shared-strings.xlsx');
  const viaExceljs = path.join(ctx.workDir, 'export-exceljs.xlsx');
  const target = path.join(ctx.workDir, 'xlsx-import.sqlite');
  const rate = (r: ChildResult): number => r.rows / (r.ms / 1000);
  try {
    flushDisk();
    const exp = await runChild('export', ws, inline);
    ctx.report({
      name: `xlsx export: ${exp.rows.toLocaleString('en')} rows`,
      value: rate(exp),
      unit: 'rows/s',
      target: '>= 20,000 rows/s',
      ok: rate(exp) >= 20_000,
      note: `${(exp.ms / 1000).toFixed(1)} s, ${exp.note ?? ''}`,
    });
    ctx.report({
      name: 'xlsx export: peak RSS',
      value: exp.maxRssMb,
      unit: 'MB',
      target: '<= 200 MB',
      ok: exp.maxRssMb <= 200,
    });
    const db = openDatabase(ws, { readonly: true });
    let sst = 0;
    try {
      sst = await writeSharedStringWorkbook(db, shared, path.join(ctx.workDir, 'sst.xml'));
    } finally {
      db.close();
      rmSync(path.join(ctx.workDir, 'sst.xml'), { force: true });
    }
    ctx.log(
      `files: inline strings ${(statSync(inline).size / 2 ** 20).toFixed(0)} MiB; shared strings ${(statSync(shared).size / 2 ** 20).toFixed(0)} MiB with ${sst.toLocaleString('en')} table entries`,
    );
    for (const [label, file] of [
      ['inline strings', inline],
      ['shared-string table', shared],
    ] as const) {
      removeDatabase(target);
      flushDisk();
      const imp = await runChild('import', file, target);
      ctx.report({
        name: `xlsx import (${label}): grid-ready`,
        value: rate(imp),
        unit: 'rows/s',
        target: '>= 25,000 rows/s',
        ok: rate(imp) >= 25_000,
        note: `${imp.rows.toLocaleString('en')} rows in ${(imp.ms / 1000).toFixed(1)} s, ${imp.note ?? ''}`,
      });
      ctx.report({
        name: `xlsx import (${label}): peak RSS`,
        value: imp.maxRssMb,
        unit: 'MB',
        target: '<= 300 MB',
        ok: imp.maxRssMb <= 300,
      });
    }
    removeDatabase(target);
    if (!exceljsRows) {
      ctx.log('exceljs comparison skipped (--skip exceljs)');
      return;
    }
    const xw = await runChild('exceljs-write', ws, viaExceljs);
    ctx.report({
      name: 'xlsx export: exceljs WorkbookWriter',
      value: rate(xw),
      unit: 'rows/s',
      target: 'comparison only',
      ok: true,
      note: `peak RSS ${xw.maxRssMb.toFixed(0)} MB`,
    });
    for (const [label, file] of [
      ['inline strings', inline],
      ['shared-string table', shared],
    ] as const) {
      const xr = await runChild('exceljs-read', file, '');
      ctx.report({
        name: `xlsx read (${label}): exceljs WorkbookReader`,
        value: rate(xr),
        unit: 'rows/s',
        target: 'comparison only',
        ok: true,
        note: `peak RSS ${xr.maxRssMb.toFixed(0)} MB, ${xr.note ?? ''}`,
      });
    }
  } finally {
    for (const f of [inline, shared, viaExceljs]) rmSync(f, { force: true });
    removeDatabase(target);
  }
}

if (process.argv[2] === '--xlsx-child' && process.argv[3] !== undefined && process.argv[4] !== undefined) {
  childJob(process.argv[3] as Job, process.argv[4], process.argv[5] ?? '')
    .then((r) => process.stdout.write(JSON.stringify(r)))
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    });
}
