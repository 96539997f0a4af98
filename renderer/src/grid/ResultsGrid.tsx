/**
 * The result grid: AG Grid's Infinite Row Model asking the engine for blocks ('rows:page'), so the
 * table is never held in memory. Sort and column filters come from the grid; search, facets and the
 * time brush come from the view. Column layout is saved per workspace through 'settings:set'.
 */
import type {
  CellKeyDownEvent,
  ColDef,
  ColumnState,
  FilterChangedEvent,
  GetRowIdParams,
  GridApi,
  GridReadyEvent,
  IDatasource,
  IGetRowsParams,
  RowDoubleClickedEvent,
  SortChangedEvent,
} from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ColumnCondition, RecordRow, SortKey } from '../../../common/contract';
import { gridFilterToConditions, toFilterModel, type ViewFilter } from '../filter';
import { plain } from '../format';
import { ApiError, call, errorText } from '../ipc';
import { filterKey, type RowsSignal } from '../rowsSignal';
import { gridTheme } from '../theme';
import { buildColumnDefs } from './columns';
import { BlocksAhead, blockArgs, useBlocksAhead } from './blocks-ahead';
import { BLOCK_ROWS, copy, currentSort, parseLayout, rowAsTsv, rowDrawn, sortKeys } from './grid-rows';

export const COLUMN_STATE_KEY = 'grid.columnState';

const DEFAULT_COL_DEF: ColDef<RecordRow> = { sortable: true, resizable: true };
/**
 * Rows rendered beyond the viewport on each side (AG Grid's default is 10). Every search and every
 * jump renders the rows twice (loading, then loaded) as React components: with 10, 31 rows at
 * 1440x900, most of them off screen.
 */
const ROW_BUFFER = 2;
const getRowId = (p: GetRowIdParams<RecordRow>): string => String(p.data.id);

export interface ResultsGridProps {
  readonly view: ViewFilter;
  /** Total matches for the whole current filter once known, so the scrollbar has its full length. */
  readonly count: number | null;
  /** Bumped after an import or an engine restart: reload blocks even though the filter is unchanged. */
  readonly refreshKey: number;
  readonly onGridConditions: (conditions: ColumnCondition[]) => void;
  readonly onSortChanged: (sort: SortKey[]) => void;
  readonly onOpen: (row: RecordRow) => void;
  readonly onApi: (api: GridApi<RecordRow> | null) => void;
  readonly notify: (text: string) => void;
  readonly onError: (text: string) => void;
  /** Told when the first block for a filter is on screen (see rowsSignal.ts). */
  readonly rowsSignal: RowsSignal;
}

export function ResultsGrid(props: ResultsGridProps): React.JSX.Element {
  const {
    view,
    count,
    refreshKey,
    onGridConditions,
    onSortChanged,
    onOpen,
    onApi,
    notify,
    onError,
    rowsSignal,
  } = props;
  const [api, setApi] = useState<GridApi<RecordRow> | null>(null);
  const viewRef = useRef(view);
  viewRef.current = view;
  const countRef = useRef(count);
  countRef.current = count;
  const columnDefs = useMemo(buildColumnDefs, []);
  const saveTimer = useRef<number | undefined>(undefined);
  /** The column layout as last read or written (settings:set is skipped when nothing changed). */
  const savedLayout = useRef<string | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const apiRef = useRef<GridApi<RecordRow> | null>(null);
  /** Without a saved layout, widths are fitted to the first rows once they are on screen. */
  const fitPending = useRef(false);
  const [ahead] = useState(() => new BlocksAhead());
  useBlocksAhead(host, api, viewRef, countRef, ahead, ROW_BUFFER);

  const makeDatasource = useCallback(
    (grid: GridApi<RecordRow> | null): IDatasource => {
      // The first block is asked for at once, with the count, facets and histogram: AG Grid asks for
      // it only after its own render of the new datasource, ~50 ms later (measured in Chromium).
      ahead.clear();
      if (grid !== null) ahead.send(blockArgs(grid, viewRef.current, 0), true);
      return {
        getRows(params: IGetRowsParams<RecordRow>): void {
          const conditions = gridFilterToConditions((params.filterModel ?? {}) as Record<string, unknown>);
          const filter = toFilterModel({ ...viewRef.current, grid: conditions });
          const sort = sortKeys(params.sortModel);
          const q = viewRef.current.q;
          const args = { filter, sort, startRow: params.startRow, endRow: params.endRow };
          // Used once, and only if the grid asks for exactly what was sent ahead.
          (ahead.take(args) ?? call('rows:page', args)).then(
            (res) => {
              let last = res.lastRow;
              if (last == null && res.rows.length < params.endRow - params.startRow)
                last = params.startRow + res.rows.length;
              params.successCallback([...res.rows], last ?? -1);
              // Which search the rows on screen answer; the browser benchmark waits for it.
              host.current?.setAttribute('data-loaded-q', q);
              if (params.startRow === 0) {
                const first = res.rows[0];
                rowsSignal.mark(
                  filterKey(filter),
                  () => first === undefined || rowDrawn(host.current, first.id),
                );
              }
              if (fitPending.current && res.rows.length > 0) {
                fitPending.current = false;
                // After the rows have rendered: widths are measured from the cells on screen.
                window.requestAnimationFrame(() => apiRef.current?.autoSizeAllColumns());
              }
            },
            (err: unknown) => {
              params.failCallback();
              if (params.startRow === 0) rowsSignal.mark(filterKey(filter));
              // Syntax errors are shown at the search box already.
              if (!(err instanceof ApiError && err.code === 'SEARCH_SYNTAX')) onError(errorText(err));
            },
          );
        },
      };
    },
    [onError, rowsSignal, ahead],
  );

  // Search, facets and the time brush replace the datasource; grid filters and sort refresh it themselves.
  const externalKey = JSON.stringify([view.q, view.picks, view.timeFrom, view.timeTo, refreshKey]);
  // A layout effect: the new datasource is in place before the browser paints, a frame sooner.
  useLayoutEffect(() => {
    if (!api) return;
    rowsSignal.reset();
    api.setGridOption('datasource', makeDatasource(api));
  }, [api, externalKey, makeDatasource, rowsSignal]);

  useEffect(() => {
    if (api && count != null) api.setRowCount(count, true);
  }, [api, count]);

  // The saved layout is read before the grid mounts, so the grid opens in it. Applied after the grid
  // had shown, the default columns appeared first and then jumped (a hidden column flashed up).
  const [layout, setLayout] = useState<ColumnState[] | null | undefined>(undefined);
  useEffect(() => {
    call('settings:get', { key: COLUMN_STATE_KEY }).then(
      (saved) => {
        savedLayout.current = saved;
        setLayout(saved ? parseLayout(saved) : null);
      },
      () => setLayout(null), // a missing or unreadable layout just means the default layout
    );
  }, []);

  const onGridReady = useCallback(
    (e: GridReadyEvent<RecordRow>) => {
      if (layout) e.api.applyColumnState({ state: layout, applyOrder: true });
      else fitPending.current = true;
      apiRef.current = e.api;
      onSortChanged(currentSort(e.api));
      setApi(e.api);
      onApi(e.api);
    },
    [onApi, onSortChanged, layout],
  );
  useEffect(() => () => onApi(null), [onApi]);

  const saveLayout = useCallback(() => {
    window.clearTimeout(saveTimer.current);
    saveTimer.current = window.setTimeout(() => {
      if (!api) return;
      const value = JSON.stringify(api.getColumnState());
      // Only a changed layout is written: every write is a commit, and a commit makes the engine's
      // readers drop their per-search caches (an id set found for the count was found again for
      // the histogram when a resize event after each search wrote the same widths back).
      if (value === savedLayout.current) return;
      savedLayout.current = value;
      call('settings:set', { key: COLUMN_STATE_KEY, value }).catch(() => undefined);
    }, 400);
  }, [api]);

  const onFilterChanged = useCallback(
    (e: FilterChangedEvent<RecordRow>) => {
      rowsSignal.reset();
      onGridConditions(gridFilterToConditions(e.api.getFilterModel()));
    },
    [onGridConditions, rowsSignal],
  );

  const onCellKeyDown = useCallback(
    (e: CellKeyDownEvent<RecordRow>) => {
      const ev = e.event;
      if (!(ev instanceof KeyboardEvent) || !e.data) return;
      if (ev.key === 'Enter') {
        ev.preventDefault();
        onOpen(e.data);
      } else if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === 'c') {
        ev.preventDefault();
        if (ev.shiftKey) void copy(rowAsTsv(e.data), notify, 'row');
        else void copy(plain(e.value), notify, 'cell');
      }
    },
    [onOpen, notify],
  );

  // Every prop handed to the grid is stable: a new object or function per render would make
  // AG Grid re-apply the option, and that costs far more than React's render.
  const onSort = useCallback(
    (e: SortChangedEvent<RecordRow>) => {
      onSortChanged(currentSort(e.api));
      saveLayout();
    },
    [onSortChanged, saveLayout],
  );
  const onMovedOrResized = useCallback(
    (e: { finished: boolean }) => {
      if (e.finished) saveLayout();
    },
    [saveLayout],
  );
  const onDoubleClick = useCallback(
    (e: RowDoubleClickedEvent<RecordRow>) => {
      if (e.data) onOpen(e.data);
    },
    [onOpen],
  );

  return (
    <div className="grid-host" data-testid="grid" ref={host}>
      {layout !== undefined && (
        <AgGridReact<RecordRow>
          theme={gridTheme}
          columnDefs={columnDefs}
          defaultColDef={DEFAULT_COL_DEF}
          rowModelType="infinite"
          cacheBlockSize={BLOCK_ROWS}
          maxBlocksInCache={80}
          maxConcurrentDatasourceRequests={2}
          rowBuffer={ROW_BUFFER}
          blockLoadDebounceMillis={0}
          getRowId={getRowId}
          tooltipShowDelay={400}
          enableCellTextSelection={false}
          onGridReady={onGridReady}
          onFilterChanged={onFilterChanged}
          onSortChanged={onSort}
          onColumnMoved={onMovedOrResized}
          onColumnResized={onMovedOrResized}
          onColumnVisible={saveLayout}
          onColumnPinned={saveLayout}
          onCellKeyDown={onCellKeyDown}
          onRowDoubleClicked={onDoubleClick}
          overlayNoRowsTemplate="No records match the current filter."
        />
      )}
    </div>
  );
}
