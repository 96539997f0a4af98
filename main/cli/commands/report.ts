/**
 * `report --db F --out case.html|case.pdf [--q …] [--rows N] [--json]`: the case report of a filter,
 * as the app writes it. HTML is written by the engine alone; PDF is printed by Chromium (page.pdf),
 * found at CHROMIUM_PATH or /usr/bin/chromium. --json prints {"path", "bytes", "matching", "listed"}.
 */
import path from 'node:path';
import { workspaceInfo } from '../../engine/workspace';
import { pdfWithChromium } from '../../engine/report/chromium-pdf';
import { buildReport, DEFAULT_ROWS } from '../../engine/report/report';
import { writeWhole } from '../../engine/report/write';
import { checkKnown, flag, intOption, requiredOption, UsageError, type ParsedArgs } from '../args';
import type { CliIo } from '../index';
import { filterOf, withDb, writeJson } from './query';

export async function reportCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, ['db', 'q', 'out', 'rows', 'json']);
  const out = requiredOption(args, 'out');
  const ext = path.extname(out).toLowerCase();
  if (ext !== '.html' && ext !== '.htm' && ext !== '.pdf')
    throw new UsageError(`--out must end in .html or .pdf, got "${out}"`);
  const rows = intOption(args, 'rows', DEFAULT_ROWS, 0, 10_000);
  const filter = filterOf(args);
  const dbFile = requiredOption(args, 'db');
  const report = await withDb(args, (db) =>
    buildReport(db, filter, { workspaceName: workspaceInfo(db, dbFile).name, rows }),
  );
  const data = ext === '.pdf' ? await pdfWithChromium(report.html) : Buffer.from(report.html, 'utf8');
  const bytes = await writeWhole(path.resolve(out), data);
  if (flag(args, 'json'))
    writeJson(io, { path: path.resolve(out), bytes, matching: report.matching, listed: report.listed });
  else
    io.stdout.write(
      `Wrote ${path.resolve(out)} (${bytes} bytes): ${report.listed} of ${report.matching} matching records listed\n`,
    );
  return 0;
}
