/** The toolbar's right side: the match count (always visible) and the window's actions. */
import type { GridApi } from 'ag-grid-community';
import { useState } from 'react';
import type { RecordRow } from '../../common/contract';
import { formatCount } from './format';
import type { ThemeMode } from './theme';
import { ColumnsMenu } from './ui/ColumnsMenu';

export type Modal = 'export' | 'lookup' | 'history' | null;

export interface ToolbarActionsProps {
  readonly hasData: boolean;
  readonly count: number | null;
  /** The count is being asked for (false once it failed: a search with a syntax error is not run). */
  readonly counting: boolean;
  readonly searchInvalid: boolean;
  readonly records: number | null;
  readonly importing: boolean;
  readonly gridApi: GridApi<RecordRow> | null;
  readonly mode: ThemeMode;
  readonly onImport: () => void;
  readonly onOpen: (modal: Modal) => void;
  readonly onToggleTheme: () => void;
}

export function ToolbarActions(props: ToolbarActionsProps): React.JSX.Element {
  const {
    hasData,
    count,
    counting,
    searchInvalid,
    records,
    importing,
    gridApi,
    mode,
    onImport,
    onOpen,
    onToggleTheme,
  } = props;
  const [columnsOpen, setColumnsOpen] = useState(false);
  return (
    <>
      <div className="match-count" data-testid="match-count" aria-live="polite">
        {hasData ? (
          count != null ? (
            <>
              <strong>{formatCount(count)}</strong> of {formatCount(records)}
            </>
          ) : counting ? (
            <span className="muted">counting…</span>
          ) : searchInvalid ? (
            <span className="muted">search not run</span>
          ) : null
        ) : null}
      </div>
      <nav className="actions">
        <button type="button" onClick={onImport} disabled={importing} title="Import files (Ctrl+O)">
          Import…
        </button>
        <button
          type="button"
          onClick={() => onOpen('lookup')}
          disabled={!hasData}
          title="Look up a list of addresses (Ctrl+L)"
        >
          Lookup…
        </button>
        <button type="button" onClick={() => onOpen('export')} disabled={!hasData} title="Export (Ctrl+E)">
          Export…
        </button>
        <div className="popover-anchor">
          <button
            type="button"
            onClick={() => setColumnsOpen((o) => !o)}
            disabled={!gridApi}
            aria-expanded={columnsOpen}
          >
            Columns
          </button>
          {columnsOpen && gridApi && <ColumnsMenu api={gridApi} onClose={() => setColumnsOpen(false)} />}
        </div>
        <button type="button" onClick={() => onOpen('history')} disabled={!hasData}>
          History
        </button>
        <button
          type="button"
          className="icon-button"
          onClick={onToggleTheme}
          aria-label="Toggle dark mode"
          title="Toggle dark mode"
        >
          {mode === 'dark' ? '☀' : '☾'}
        </button>
      </nav>
    </>
  );
}
