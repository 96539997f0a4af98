/** The import job as a dialog: progress while it runs, the summary when it ends. */
import { Dialog } from '../ui/Dialog';
import { ImportProgressView } from './ImportProgressView';
import { ImportSummary } from './ImportSummary';
import type { ImportOverrides, ImportState } from './useImport';
import { ImportConfirm } from './ImportConfirm';

export function ImportDialog({
  state,
  onStart,
  onCancel,
  onClose,
  onReimport,
  notify,
}: {
  readonly state: ImportState;
  readonly onStart: (paths: readonly string[], timeZone: string) => void;
  readonly onCancel: () => void;
  readonly onClose: () => void;
  readonly onReimport: (path: string, overrides: ImportOverrides) => void;
  readonly notify: (t: string) => void;
}): React.JSX.Element | null {
  // Each phase is its own dialog (key), so focus moves into the new one when progress turns into the summary.
  if (state.phase === 'idle') return null;
  if (state.phase === 'confirm')
    return (
      <Dialog
        key="confirm"
        title={state.paths.length === 1 ? 'Import 1 file' : `Import ${state.paths.length} files`}
        onClose={onClose}
        testId="import-dialog"
      >
        <ImportConfirm paths={state.paths} onStart={(z) => onStart(state.paths, z)} onCancel={onClose} />
      </Dialog>
    );
  if (state.phase === 'running')
    return (
      <Dialog key="running" title="Importing" testId="import-dialog" wide>
        <ImportProgressView state={state} onCancel={onCancel} />
      </Dialog>
    );
  if (state.phase === 'failed')
    return (
      <Dialog
        key="failed"
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
    <Dialog key="done" title="Import finished" onClose={onClose} testId="import-dialog" wide>
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
