/**
 * The export dialog's panels while it writes (progress and Cancel) and when it is done (what was
 * written, cells cut for Excel, rows that changed meanwhile, Show in folder).
 */
import type { ExportResult } from '../../../common/contract';
import { fileName, formatBytes, formatCount, formatDuration } from '../format';
import { call } from '../ipc';

export function ExportRunning({
  jobId,
  written,
  total,
}: {
  readonly jobId: string;
  readonly written: number;
  readonly total: number;
}): React.JSX.Element {
  return (
    <div data-testid="export-running">
      <div className="bar" role="progressbar" aria-label="Export progress">
        <div
          className="bar-fill"
          style={{ width: `${total ? Math.min(100, (written / total) * 100) : 0}%` }}
        />
      </div>
      <p className="muted">
        {formatCount(written)} of {formatCount(total)} rows written
      </p>
      <div className="dialog-actions">
        <button type="button" onClick={() => void call('export:cancel', { jobId: jobId }).catch(() => false)}>
          Cancel export
        </button>
      </div>
    </div>
  );
}

export function ExportDone({
  result,
  onClose,
}: {
  readonly result: ExportResult;
  readonly onClose: () => void;
}): React.JSX.Element {
  return (
    <div data-testid="export-done">
      <p className="ok-text">
        {formatCount(result.rowsWritten)} rows written to <strong>{fileName(result.path)}</strong> (
        {formatBytes(result.bytes)}, {formatDuration(result.durationMs)}).
      </p>
      {result.sheets !== undefined && result.sheets > 1 && (
        <p className="muted">The rows continue on {result.sheets} sheets.</p>
      )}
      {result.truncatedCells ? (
        <p className="inline-error" data-testid="export-truncated">
          {formatCount(result.truncatedCells)} cells were longer than Excel's 32,767 characters and were cut
          (marked “…[truncated]”).
        </p>
      ) : null}
      {result.rowsWritten !== result.expectedRows && (
        <p className="inline-error">
          Expected {formatCount(result.expectedRows)} rows; the data changed while exporting.
        </p>
      )}
      <div className="dialog-actions">
        <button
          type="button"
          onClick={() => void call('shell:showInFolder', { path: result.path }).catch(() => true)}
        >
          Show in folder
        </button>
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}
