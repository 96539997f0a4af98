/** Per-file import progress: phase, rows, MB of total, rate, ETA, with one Cancel for the job. */
import type { ImportPhase } from '../../../common/contract';
import {
  estimateRemainingMs,
  fileName,
  formatBytes,
  formatCount,
  formatDuration,
  formatRate,
} from '../format';
import type { ImportState } from './useImport';

const PHASE: Record<ImportPhase, string> = {
  waiting: 'Waiting for another import of this workspace to finish',
  sniffing: 'Detecting format',
  rows: 'Reading rows',
  indexes: 'Building indexes',
  'search-index': 'Building search index',
  memories: 'Preparing fast search',
  done: 'Done',
};

export function ImportProgressView({
  state,
  onCancel,
}: {
  readonly state: Extract<ImportState, { phase: 'running' }>;
  readonly onCancel: () => void;
}): React.JSX.Element {
  return (
    <div className="import-progress" data-testid="import-progress">
      <ul className="file-progress-list">
        {state.request.paths.map((path) => {
          const fp = state.files[path];
          const p = fp?.progress;
          const pct = p && p.totalBytes > 0 ? Math.min(100, (p.bytesRead / p.totalBytes) * 100) : 0;
          const eta =
            p && fp ? estimateRemainingMs(p.bytesRead, p.totalBytes, Date.now() - fp.startedAt) : null;
          return (
            <li key={path} className="file-progress">
              <div className="file-progress-head">
                <strong title={path}>{fileName(path)}</strong>
                <span className="muted">{p ? PHASE[p.phase] : 'Waiting'}</span>
              </div>
              {p?.phase === 'waiting' && (
                <p className="import-waiting" role="status" data-testid="import-waiting">
                  Another import is writing to this workspace. This one starts as soon as it ends; Cancel
                  stops waiting.
                </p>
              )}
              <div
                className="bar"
                role="progressbar"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(pct)}
                aria-label={`Import of ${fileName(path)}`}
              >
                <div className="bar-fill" style={{ width: `${p?.phase === 'done' ? 100 : pct}%` }} />
              </div>
              <div className="file-progress-stats muted">
                <span>{formatCount(p?.rows ?? 0)} rows</span>
                <span>
                  {formatBytes(p?.bytesRead ?? 0)} of {p ? formatBytes(p.totalBytes) : '…'}
                </span>
                <span>{p ? formatRate(p.rowsPerSecond) : ''}</span>
                <span>{eta != null ? `about ${formatDuration(eta)} left` : ''}</span>
              </div>
            </li>
          );
        })}
      </ul>
      <div className="dialog-actions">
        <button type="button" onClick={onCancel} disabled={state.cancelling}>
          {state.cancelling ? 'Cancelling…' : 'Cancel import'}
        </button>
      </div>
    </div>
  );
}
