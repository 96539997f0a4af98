/**
 * Insights figures of issue 15 on the benchmark workspace (ctx.dbPath), or, run alone
 * (`node dist/bench/insights.js [--rows N]`), on a workspace filled by the INSERT loop of
 * query-data.ts. The 100k-row report filter is one recipient domain of the generator's ten.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../main/engine/db/open';
import { getDomains } from '../main/engine/insights/domains';
import { getIncidents } from '../main/engine/insights/incidents';
import { listTypos } from '../main/engine/insights/typos';
import { buildReport } from '../main/engine/report/report';
import { writeWhole } from '../main/engine/report/write';
import { countRows } from '../main/engine/query';
import { timeMedian, type BenchContext, type BenchFigure } from './context';
import { benchWorkspace } from './query-data';

const RUNS = 3;

export async function benchInsights(ctx: BenchContext): Promise<void> {
  const file = benchWorkspace(ctx, 'insights-bench.sqlite');
  const db = openDatabase(file, { readonly: true });
  try {
    const ms = (value: number, target: number, name: string, note?: string): void =>
      ctx.report({
        name: `insights: ${name}`,
        value,
        unit: 'ms',
        target: `<= ${target} ms`,
        ok: value <= target,
        ...(note ? { note } : {}),
      });
    ms(await timeMedian(RUNS, () => getDomains(db, {})), 300, 'domains view, unfiltered');
    ms(
      await timeMedian(RUNS, () => getDomains(db, { q: 'status:error' })),
      300,
      'domains view, status:error',
    );
    ms(await timeMedian(RUNS, () => getIncidents(db, {})), 1000, 'incidents, whole case');
    const typos = listTypos(db, {});
    ms(
      await timeMedian(RUNS, () => listTypos(db, {})),
      500,
      'typo hints for all hard bounces',
      `${typos.checked} addresses checked, ${typos.hints.length} hints`,
    );
    const filter = { q: 'domain:gmail.com' };
    const matching = countRows(db, filter);
    const out = path.join(ctx.workDir, 'case-report.html');
    ms(
      await timeMedian(RUNS, async () => {
        const r = buildReport(db, filter, { workspaceName: 'bench' });
        await writeWhole(out, Buffer.from(r.html, 'utf8'));
      }),
      3000,
      'case report to HTML, one domain',
      `${matching} matching rows, 500 listed`,
    );
  } finally {
    db.close();
  }
}

/** Run alone: `npm run build && node dist/bench/insights.js --rows 100000`. */
async function main(): Promise<void> {
  const i = process.argv.indexOf('--rows');
  const rows = i === -1 ? 200_000 : Number(process.argv[i + 1]);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'di-bench-insights-'));
  const figures: BenchFigure[] = [];
  try {
    await benchInsights({
      rows,
      workDir,
      csvPath: '',
      csvBytes: 0,
      runs: 1,
      dbPath: null,
      cliImport: null,
      baseline: { importMs: null, exportMs: null },
      report: (f) => {
        figures.push(f);
        console.log(
          `${f.ok ? 'ok  ' : 'MISS'} ${f.name.padEnd(44)} ${f.value.toFixed(0).padStart(7)} ms  target ${f.target}${f.note ? `  [${f.note}]` : ''}`,
        );
      },
      log: (l) => console.log(`  ${l}`),
    });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module)
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
