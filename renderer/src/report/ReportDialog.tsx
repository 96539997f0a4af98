/** One click to a case report of the current filter: the question in words, HTML or PDF, saved where the user says. */
import { useState } from 'react';
import type { FilterModel } from '../../../common/contract';
import { describeFilter } from '../../../common/filter-words';
import type { ReportFormat } from '../../../common/insights';
import { formatBytes, formatCount } from '../format';
import { call, errorText } from '../ipc';
import { Dialog } from '../ui/Dialog';
import '../insights/insights.css';

export function ReportDialog({
  filter,
  count,
  onClose,
  notify,
}: {
  readonly filter: FilterModel;
  readonly count: number | null;
  readonly onClose: () => void;
  readonly notify: (text: string) => void;
}): React.JSX.Element {
  const [format, setFormat] = useState<ReportFormat>('pdf');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ path: string; bytes: number } | null>(null);
  const save = (): void => {
    setBusy(true);
    setError(null);
    call('report:save', { filter, format })
      .then(
        (r) => {
          if (!r) return;
          setSaved(r);
          notify(`Saved the case report to ${r.path}`);
        },
        (err: unknown) => setError(errorText(err)),
      )
      .finally(() => setBusy(false));
  };
  return (
    <Dialog title="Case report" onClose={onClose} testId="report-dialog">
      <p className="report-question">{describeFilter(filter)}</p>
      <p className="muted">
        {count !== null ? `${formatCount(count)} matching records. ` : ''}The report holds totals, the
        histogram, the top replies with next steps, domains, incidents, typo hints and the newest 500 matching
        records, with the full count. It lists no recipient outside this filter.
      </p>
      <fieldset className="radio-row">
        <legend>Format</legend>
        {(['pdf', 'html'] as const).map((f) => (
          <label key={f}>
            <input type="radio" name="report-format" checked={format === f} onChange={() => setFormat(f)} />{' '}
            {f === 'pdf' ? 'PDF (to send)' : 'HTML (one self-contained file)'}
          </label>
        ))}
      </fieldset>
      {error && <p className="inline-error">{error}</p>}
      {saved && (
        <p className="summary-line" data-testid="report-saved">
          Saved {formatBytes(saved.bytes)} to {saved.path}{' '}
          <button
            type="button"
            className="link"
            onClick={() => void call('shell:showInFolder', { path: saved.path }).catch(() => undefined)}
          >
            Show in folder
          </button>
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
        <button type="button" className="primary" disabled={busy} onClick={save}>
          {busy ? 'Writing…' : 'Save report…'}
        </button>
      </div>
    </Dialog>
  );
}
