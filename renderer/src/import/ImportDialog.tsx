/** The import job as a dialog: progress while it runs, the summary when it ends. */
import { Dialog } from '../ui/Dialog';
import { ImportProgressView } from './ImportProgressView';
import { ImportSummary } from './ImportSummary';
import type { ImportOverrides, ImportState } from './useImport';

export function ImportDialog({
  state,
  onCancel,
  onClose,
  onReimport,
  notify,
}: {
  readonly state: ImportState;
  readonly onCancel: () => void;
  readonly onClose: () => void;
  readonly onReimport: (path: string, overrides: ImportOverrides) => void;
  readonly notify: (t: string) => void;
}): React.JSX.Element | null {
  if (state.phase === 'idle') return null;
  if (state.phase === 'running')
    return (
      <Dialog title="Importing" testId="import-dialog" wide>
        <ImportProgressView state={state} onCancel={onCancel} />
      </Dialog>
    );
  if (state.phase === 'failed')
    return (
      <Dialog
        title={state.cancelled ? 'Import cancelled' : 'Import failed'}
        onClose={onClose}
        testId="import-dialog"
      >
        {state.cancelled ? (
          <p>
            Import cancelled. Files finished before the cancel are kept; the interrupted file was not stored.
          </p>
        ) : (
          <p className="inline-error">{state.message}</p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </Dialog>
    );
  return (
    <Dialog title="Import finished" onClose={onClose} testId="import-dialog" wide>
      <ImportSummary
        result={state.result}
        request={state.request}
        notify={notify}
        onReimport={onReimport}
        onClose={onClose}
      />
    </Dialog>
  );
}
