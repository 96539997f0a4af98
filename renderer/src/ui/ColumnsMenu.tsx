/** Show/hide columns (AG Grid's columns tool panel is Enterprise-only); order and widths stay in the grid. */
import type { GridApi } from 'ag-grid-community';
import { useState } from 'react';
import type { RecordRow } from '../../../common/contract';

/**
 * Widths fitted to the rows on screen now and once more when the grid has re-read its rows (the reset
 * sort reloads them, and cells not yet rendered cannot be measured).
 */
function fitToContent(api: GridApi<RecordRow>): void {
  api.autoSizeAllColumns();
  const again = (): void => {
    api.removeEventListener('modelUpdated', again);
    window.requestAnimationFrame(() => {
      if (!api.isDestroyed()) api.autoSizeAllColumns();
    });
  };
  api.addEventListener('modelUpdated', again);
  window.setTimeout(() => {
    if (!api.isDestroyed()) api.removeEventListener('modelUpdated', again);
  }, 10_000);
}

export function ColumnsMenu({
  api,
  onClose,
}: {
  readonly api: GridApi<RecordRow>;
  readonly onClose: () => void;
}): React.JSX.Element {
  const [, force] = useState(0);
  const cols = api.getAllGridColumns();
  return (
    <div
      className="popover columns-menu"
      role="dialog"
      aria-label="Columns"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className="popover-head">
        <strong>Columns</strong>
        <button
          type="button"
          className="link"
          onClick={() => {
            // Back to the default order, newest-first sort and widths fitted to the rows on screen.
            api.resetColumnState();
            fitToContent(api);
            force((n) => n + 1);
          }}
        >
          Reset layout
        </button>
      </div>
      <ul>
        {cols.map((c) => (
          <li key={c.getColId()}>
            <label>
              <input
                type="checkbox"
                checked={c.isVisible()}
                onChange={(e) => {
                  api.setColumnsVisible([c], e.target.checked);
                  force((n) => n + 1);
                }}
              />
              {c.getColDef().headerName}
            </label>
          </li>
        ))}
      </ul>
      <div className="popover-foot">
        <button type="button" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}
