/**
 * "Save case report": where to (save dialog), what (the engine builds the HTML), and how (the HTML as
 * is, or printed to PDF by Chromium). Plain logic with its dependencies handed in, so it is tested
 * under Node; report-pdf.ts holds the Electron part.
 */
import type { ArgsOf, FilterModel, ResultOf } from '../../common/contract';
import type { CaseReport, ReportFormat } from '../../common/insights';
import { EngineError } from '../engine/errors';
import { writeWhole } from '../engine/report/write';

export interface ReportSaveDeps {
  readonly pickPath: (defaultName: string, format: ReportFormat) => Promise<string | null>;
  readonly build: (filter: FilterModel) => Promise<CaseReport>;
  /** Absent where no Chromium can print (then PDF is refused with a clear error). */
  readonly toPdf?: (html: string) => Promise<Buffer>;
  /** Called with the written file, so "show in folder" may reveal it. */
  readonly written?: (path: string) => void;
}

export function reportFileName(format: ReportFormat, now = new Date()): string {
  return `case-report-${now.toISOString().slice(0, 10)}.${format}`;
}

export async function saveReport(
  deps: ReportSaveDeps,
  { filter, format }: ArgsOf<'report:save'>,
): Promise<ResultOf<'report:save'>> {
  const toPdf = deps.toPdf;
  if (format === 'pdf' && !toPdf)
    throw new EngineError(
      'EXPORT_FAILED',
      'PDF reports need the desktop app; save as HTML and print it instead',
    );
  const target = await deps.pickPath(reportFileName(format), format);
  if (target === null) return null;
  const report = await deps.build(filter);
  const data = format === 'pdf' && toPdf ? await toPdf(report.html) : Buffer.from(report.html, 'utf8');
  const bytes = await writeWhole(target, data);
  deps.written?.(target);
  return { path: target, bytes, matching: report.matching };
}
