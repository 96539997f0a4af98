/**
 * Export (Ctrl+E): states the number of rows first, then format (CSV or Excel .xlsx), columns (all /
 * visible), for CSV delimiter, BOM and formula guard (on by default), writes with progress and
 * Cancel, and offers "Show in folder". An .xlsx shows times in this window's time zone.
 */
import { useEffect, useRef, useState } from 'react';
import type { ColumnId } from '../../../common/columns';
import type { ExportFormat, ExportResult, FilterModel, SortKey } from '../../../common/contract';
import { formatCount } from '../format';
import { call, errorText, isCancelled, newJobId, on } from '../ipc';
import { describeZone, formatIsoInZone } from '../../../common/time-zone';
import { useDisplayZone } from '../zone/displayZone';
import { Dialog } from '../ui/Dialog';
import { ExportDone, ExportRunning } from './ExportPanels';

export interface ExportDialogProps {
  readonly filter: FilterModel;
  readonly sort: readonly SortKey[];
  readonly visibleColumns: readonly ColumnId[];
  readonly onClose: () => void;
}

type Phase =
  | { readonly kind: 'setup' }
  | { readonly kind: 'running'; readonly jobId: string; readonly written: number; readonly total: number }
  | { readonly kind: 'done'; readonly result: ExportResult }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly message: string };

function suggestedName(format: ExportFormat): string {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, '0');
  return `delivery-records-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}.${format}`;
}

/** Excel's rows per sheet, less the header row; an .xlsx export continues on further sheets. */
const XLSX_SHEET_ROWS = 1_048_575;

export function ExportDialog({
  filter,
  sort,
  visibleColumns,
  onClose,
}: ExportDialogProps): React.JSX.Element {
  const [count, setCount] = useState<number | null>(null);
  const [countError, setCountError] = useState<string | null>(null);
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [columns, setColumns] = useState<'all' | 'visible'>('all');
  const [delimiter, setDelimiter] = useState<',' | ';'>(',');
  const [bom, setBom] = useState(false);
  const [guard, setGuard] = useState(true);
  const zone = useDisplayZone();
  const [dates, setDates] = useState<'zone' | 'source'>('zone');
  const [phase, setPhase] = useState<Phase>({ kind: 'setup' });
  const jobRef = useRef<string | null>(null);

  useEffect(() => {
    let live = true;
    call('rows:count', { filter }).then(
      (n) => live && setCount(n),
      (err: unknown) => live && setCountError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [filter]);

  useEffect(
    () =>
      on('export:progress', (p) => {
        if (p.jobId !== jobRef.current) return;
        setPhase((s) => (s.kind === 'running' ? { ...s, written: p.rowsWritten, total: p.totalRows } : s));
      }),
    [],
  );

  const start = async (): Promise<void> => {
    const path = await call('export:pick', { suggestedName: suggestedName(format) });
    if (!path) return;
    const jobId = newJobId();
    jobRef.current = jobId;
    setPhase({ kind: 'running', jobId, written: 0, total: count ?? 0 });
    try {
      const result = await call('export:start', {
        jobId,
        path,
        filter,
        sort,
        ...(columns === 'visible' ? { columns: visibleColumns } : {}),
        delimiter,
        bom,
        formulaGuard: guard,
        ...(format === 'xlsx' ? { format, timeZone: zone } : dates === 'zone' ? { timeZone: zone } : {}),
      });
      setPhase({ kind: 'done', result });
    } catch (err) {
      setPhase(isCancelled(err) ? { kind: 'cancelled' } : { kind: 'failed', message: errorText(err) });
    } finally {
      jobRef.current = null;
    }
  };

  const running = phase.kind === 'running';
  return (
    <Dialog
      title={format === 'xlsx' ? 'Export rows to Excel' : 'Export rows to CSV'}
      onClose={running ? undefined : onClose}
      testId="export-dialog"
    >
      <p className="export-count" data-testid="export-count">
        {countError ? (
          <span className="inline-error">{countError}</span>
        ) : count == null ? (
          'Counting rows…'
        ) : (
          <>
            <strong>{formatCount(count)}</strong> rows match the current filter and will be written.
          </>
        )}
      </p>
      {phase.kind === 'setup' && (
        <form
          className="export-form"
          onSubmit={(e) => {
            e.preventDefault();
            start().catch((err: unknown) => setPhase({ kind: 'failed', message: errorText(err) }));
          }}
        >
          <fieldset>
            <legend>Format</legend>
            <label>
              <input type="radio" checked={format === 'csv'} onChange={() => setFormat('csv')} /> CSV
            </label>
            <label>
              <input type="radio" checked={format === 'xlsx'} onChange={() => setFormat('xlsx')} /> Excel
              workbook (.xlsx): times as dates in {describeZone(zone)}, sizes as numbers
            </label>
            {format === 'xlsx' && count != null && count > XLSX_SHEET_ROWS && (
              <p className="muted" data-testid="export-sheets">
                Excel holds {formatCount(XLSX_SHEET_ROWS)} rows per sheet: the rows continue on{' '}
                {Math.ceil(count / XLSX_SHEET_ROWS)} sheets.
              </p>
            )}
          </fieldset>
          <fieldset>
            <legend>Columns</legend>
            <label>
              <input
                type="radio"
                name="export-columns"
                checked={columns === 'all'}
                onChange={() => setColumns('all')}
              />{' '}
              All 24 columns
            </label>
            <label>
              <input
                type="radio"
                name="export-columns"
                checked={columns === 'visible'}
                onChange={() => setColumns('visible')}
              />{' '}
              Visible columns only ({visibleColumns.length}), in grid order
            </label>
          </fieldset>
          {format === 'csv' && (
            <>
              <fieldset>
                <legend>Delimiter</legend>
                <label>
                  <input
                    type="radio"
                    name="export-delimiter"
                    checked={delimiter === ','}
                    onChange={() => setDelimiter(',')}
                  />{' '}
                  Comma (,)
                </label>
                <label>
                  <input
                    type="radio"
                    name="export-delimiter"
                    checked={delimiter === ';'}
                    onChange={() => setDelimiter(';')}
                  />{' '}
                  Semicolon (;) — German Excel
                </label>
              </fieldset>
              <fieldset data-testid="export-dates">
                <legend>Dates (Creation Time, Meta Data Creation Time)</legend>
                <label>
                  <input
                    type="radio"
                    name="export-dates"
                    checked={dates === 'zone'}
                    onChange={() => setDates('zone')}
                  />{' '}
                  As shown, in {describeZone(zone)} with the offset, e.g.{' '}
                  <span className="mono">{formatIsoInZone(Date.now(), zone, { offset: true })}</span>
                </label>
                <label>
                  <input
                    type="radio"
                    name="export-dates"
                    checked={dates === 'source'}
                    onChange={() => setDates('source')}
                  />{' '}
                  As in the imported files (the portal writes UTC without an offset)
                </label>
              </fieldset>
              <fieldset>
                <legend>Options</legend>
                <label>
                  <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} /> Add a BOM
                  so Excel reads UTF-8
                </label>
                <label>
                  <input type="checkbox" checked={guard} onChange={(e) => setGuard(e.target.checked)} />{' '}
                  Formula guard: escape cells a spreadsheet would run as formulas (= + - @, also after spaces
                  or in full-width form; recommended)
                </label>
              </fieldset>
            </>
          )}
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={count === 0}>
              Choose file and export…
            </button>
          </div>
        </form>
      )}
      {phase.kind === 'running' && (
        <ExportRunning jobId={phase.jobId} written={phase.written} total={phase.total} />
      )}
      {phase.kind === 'done' && <ExportDone result={phase.result} onClose={onClose} />}
      {phase.kind === 'cancelled' && (
        <div>
          <p>Export cancelled; no file was left behind.</p>
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      )}
      {phase.kind === 'failed' && (
        <div>
          <p className="inline-error">{phase.message}</p>
          <div className="dialog-actions">
            <button type="button" onClick={() => setPhase({ kind: 'setup' })}>
              Try again
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
