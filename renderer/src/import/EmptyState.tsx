/**
 * First screen of an empty workspace: a drop zone and an "Import files…" button. The shell turns
 * files dropped on the window into 'files:opened'; here the zone only shows that a drop is welcome.
 */
import { useState } from 'react';
import { ImportHistory } from './ImportHistory';

export function EmptyState({
  onPick,
  historyKey,
  notify,
}: {
  readonly onPick: () => void;
  readonly historyKey: number;
  readonly notify: (t: string) => void;
}): React.JSX.Element {
  const [over, setOver] = useState(false);
  return (
    <div className="empty" data-testid="empty-state">
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragEnter={() => setOver(true)}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={() => setOver(false)}
      >
        <div className="dropzone-icon" aria-hidden>
          ⇪
        </div>
        <h2>Drop delivery-record exports here</h2>
        <p className="muted">CSV or Excel (.xlsx) reports from the Retarus portal, any size.</p>
        <button type="button" className="primary big" onClick={onPick}>
          Import files…
        </button>
        <p className="muted small">Ctrl+O also opens files. Everything stays on this computer.</p>
      </div>
      <ImportHistory refreshKey={historyKey} notify={notify} />
    </div>
  );
}
