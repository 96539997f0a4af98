/**
 * The investigation window: search, facets, histogram and grid over the current workspace, with the
 * import, export, lookup and drilldown flows. All state that crosses to the engine goes through ipc.ts.
 */
import type { GridApi } from 'ag-grid-community';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { isColumnId, type ColumnId } from '../../common/columns';
import type { ColumnCondition, RecordRow, SortKey, WorkspaceInfo } from '../../common/contract';
import { DrilldownPanel } from './drilldown/DrilldownPanel';
import { ExportDialog } from './export/ExportDialog';
import { FacetsPanel } from './facets/FacetsPanel';
import { EMPTY_FILTER, toFilterModel, togglePick, type FacetPick, type ViewFilter } from './filter';
import { FilterChips } from './FilterChips';
import { ToolbarActions, type Modal } from './ToolbarActions';
import { DEFAULT_SORT } from './grid/columns';
import { ResultsGrid } from './grid/ResultsGrid';
import { Histogram } from './histogram/Histogram';
import { EmptyState } from './import/EmptyState';
import { ImportDialog } from './import/ImportDialog';
import { ImportHistory } from './import/ImportHistory';
import { useImport } from './import/useImport';
import { useInsights } from './insights/useInsights';
import { call, errorText } from './ipc';
import { LookupDialog } from './lookup/LookupDialog';
import { SearchBox, type SearchBoxHandle } from './search/SearchBox';
import { useRecentSearches } from './search/useRecentSearches';
import { useTheme } from './theme';
import { loadZoneSetting, useDisplayZone } from './zone/displayZone';
import { StatusBar } from './StatusBar';
import { useShellEvents } from './useShellEvents';
import { useShortcuts } from './useShortcuts';
import { Dialog } from './ui/Dialog';
import { RowsSignal } from './rowsSignal';
import { useResults } from './useResults';

export function App(): React.JSX.Element {
  const { mode, toggle } = useTheme();
  const [info, setInfo] = useState<WorkspaceInfo | null>(null);
  const [view, setView] = useState<ViewFilter>(EMPTY_FILTER);
  const [sort, setSort] = useState<SortKey[]>([DEFAULT_SORT]);
  const [refresh, setRefresh] = useState(0);
  const [drill, setDrill] = useState<string | null>(null);
  const [modal, setModal] = useState<Modal>(null);
  const [toast, setToast] = useState<string | null>(null);
  const [gridApi, setGridApi] = useState<GridApi<RecordRow> | null>(null);
  const search = useRef<SearchBoxHandle>(null);
  const toastTimer = useRef<number | undefined>(undefined);

  const { recent, loadRecent, commitQuery } = useRecentSearches();

  const notify = useCallback((text: string) => {
    setToast(text);
    window.clearTimeout(toastTimer.current);
    toastTimer.current = window.setTimeout(() => setToast(null), 3500);
  }, []);

  const loadInfo = useCallback(() => {
    call('workspace:info', {}).then(setInfo, (err: unknown) => notify(errorText(err)));
    loadRecent();
  }, [notify, loadRecent]);
  useEffect(loadInfo, [loadInfo]);

  const afterImport = useCallback(() => {
    loadInfo();
    setRefresh((n) => n + 1);
  }, [loadInfo]);
  const importer = useImport(afterImport);
  const { start: startImport, choose: chooseImport } = importer;

  const pickAndImport = useCallback(() => {
    call('import:pick', {}).then(
      (paths) => chooseImport(paths),
      (err: unknown) => notify(errorText(err)),
    );
  }, [chooseImport, notify]);

  // The display zone: times shown, typed dates and exports all follow it (common/time-zone.ts).
  const zone = useDisplayZone();
  const [zoneReady, setZoneReady] = useState(false);
  useEffect(() => {
    void loadZoneSetting().then(() => setZoneReady(true));
  }, []);
  const filter = useMemo(() => toFilterModel(view, zone), [view, zone]);
  const hasData = (info?.records ?? 0) > 0;
  const [rowsSignal] = useState(() => new RowsSignal());
  const results = useResults(filter, hasData, refresh, rowsSignal);

  const setQuery = useCallback((q: string) => setView((v) => (v.q === q ? v : { ...v, q })), []);
  const searchFor = useCallback(
    (q: string) => {
      search.current?.set(q);
      setView({ ...EMPTY_FILTER, q });
      gridApi?.setFilterModel(null);
      commitQuery(q);
      setModal(null);
    },
    [gridApi, commitQuery],
  );

  const range = useMemo(() => ({ from: view.timeFrom, to: view.timeTo }), [view.timeFrom, view.timeTo]);
  const onRange = useCallback(
    (timeFrom: number | undefined, timeTo: number | undefined) =>
      setView((v) => ({ ...v, timeFrom, timeTo })),
    [],
  );
  const onGridConditions = useCallback((grid: ColumnCondition[]) => setView((v) => ({ ...v, grid })), []);
  const onPick = useCallback((p: FacetPick) => setView((v) => ({ ...v, picks: togglePick(v.picks, p) })), []);
  // Back to the grid cell the message was opened from, so the keyboard walk goes on from there.
  const closeDrill = useCallback(() => {
    setDrill(null);
    const cell = gridApi?.getFocusedCell();
    if (gridApi && cell) window.setTimeout(() => gridApi.setFocusedCell(cell.rowIndex, cell.column), 0);
  }, [gridApi]);
  const openRow = useCallback((r: RecordRow) => r.correlation_id && setDrill(String(r.correlation_id)), []);

  const focusSearch = useCallback(() => search.current?.focus(), []);
  const openExport = useCallback(() => setModal('export'), []);
  const openLookup = useCallback(() => setModal('lookup'), []);
  const reload = useCallback(() => setRefresh((n) => n + 1), []);
  const workspaceChanged = useCallback(
    (w: WorkspaceInfo) => {
      setInfo(w);
      setView(EMPTY_FILTER);
      setDrill(null);
      reload();
      loadInfo();
    },
    [reload, loadInfo],
  );
  useShellEvents({
    pickAndImport,
    openExport,
    focusSearch,
    toggleTheme: toggle,
    chooseImport,
    workspaceChanged,
    reload,
    notify,
  });

  useShortcuts({
    hasData,
    drawerOnTop: drill !== null && !modal,
    focusSearch,
    openExport,
    openLookup,
    pickAndImport,
    closeDrawer: closeDrill,
  });

  const insights = useInsights({
    hasData,
    refresh,
    filter,
    count: results.count,
    setView,
    searchFor,
    notify,
  });

  const visibleColumns = (): ColumnId[] =>
    (gridApi?.getAllDisplayedColumns() ?? []).map((c) => c.getColId()).filter(isColumnId);
  const importing = importer.state.phase === 'running';

  return (
    <div className="app" data-theme-mode={mode}>
      <header className="toolbar">
        <div className="brand" title={info?.path}>
          <strong>Delivery Inspector</strong>
          <span className="muted">{info?.name ?? ''}</span>
        </div>
        <SearchBox
          ref={search}
          value={view.q}
          error={results.searchError}
          recent={recent}
          onSearch={setQuery}
          onCommit={commitQuery}
        />
        <ToolbarActions
          hasData={hasData}
          count={results.count}
          counting={results.loading}
          searchInvalid={results.searchError !== null}
          records={info?.records ?? null}
          importing={importing}
          gridApi={gridApi}
          mode={mode}
          onImport={pickAndImport}
          onOpen={setModal}
          onToggleTheme={toggle}
        />
        {insights.buttons}
      </header>

      {!zoneReady ? null : !hasData ? (
        <EmptyState onPick={pickAndImport} historyKey={refresh} notify={notify} />
      ) : (
        // Keyed by zone: every time on screen is re-rendered in a newly chosen zone.
        <main className="workspace" key={zone}>
          <FilterChips
            view={view}
            onRemovePick={(p) => setView((v) => ({ ...v, picks: v.picks.filter((x) => x !== p) }))}
            onClearGrid={() => gridApi?.setFilterModel(null)}
            onClearTime={() => setView((v) => ({ ...v, timeFrom: undefined, timeTo: undefined }))}
            onClearAll={() => searchFor('')}
          />
          <Histogram
            data={results.histogram}
            loading={results.loading}
            range={range}
            onRange={onRange}
            below={insights.marks}
          />
          <div className="content">
            <FacetsPanel
              facets={results.facets}
              loading={results.loading}
              error={results.error}
              picks={view.picks}
              onPick={onPick}
            />
            <ResultsGrid
              view={view}
              count={results.count}
              refreshKey={refresh}
              onGridConditions={onGridConditions}
              onSortChanged={setSort}
              onOpen={openRow}
              onApi={setGridApi}
              notify={notify}
              onError={notify}
              rowsSignal={rowsSignal}
            />
            {drill && (
              <DrilldownPanel
                correlationId={drill}
                onClose={closeDrill}
                onSearch={searchFor}
                onOpen={setDrill}
              />
            )}
          </div>
        </main>
      )}

      <StatusBar info={info} />

      <ImportDialog
        state={importer.state}
        onCancel={importer.cancel}
        onClose={importer.dismiss}
        onStart={(paths, timeZone) => startImport(paths, { timeZone })}
        onReimport={(path, overrides) => {
          importer.dismiss();
          startImport([path], overrides);
        }}
        notify={notify}
      />
      {modal === 'export' && (
        <ExportDialog
          filter={filter}
          sort={sort}
          visibleColumns={visibleColumns()}
          onClose={() => setModal(null)}
        />
      )}
      {modal === 'lookup' && (
        <LookupDialog
          onClose={() => setModal(null)}
          onOpen={(c) => {
            setModal(null);
            setDrill(c);
          }}
          onSearch={searchFor}
          notify={notify}
        />
      )}
      {insights.views}
      {modal === 'history' && (
        <Dialog title="Import history" onClose={() => setModal(null)} wide>
          <ImportHistory refreshKey={refresh} notify={notify} onChanged={afterImport} />
        </Dialog>
      )}
      {toast && (
        <div className="toast" role="status">
          {toast}
        </div>
      )}
    </div>
  );
}
