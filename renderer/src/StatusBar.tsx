/** The status bar: records and imports of the workspace, the search index state, hints, the display zone. */
import type { WorkspaceInfo } from '../../common/contract';
import { formatCount } from './format';
import { setZoneSetting, useZoneSetting } from './zone/displayZone';
import { ZoneSelect } from './zone/ZoneSelect';

export function StatusBar({ info }: { readonly info: WorkspaceInfo | null }): React.JSX.Element {
  const zoneChoice = useZoneSetting();
  const hasData = (info?.records ?? 0) > 0;
  return (
    <footer className="statusbar">
      <span>
        {info
          ? `${formatCount(info.records)} ${info.records === 1 ? 'record' : 'records'} · ${formatCount(info.imports)} ${info.imports === 1 ? 'import' : 'imports'}`
          : 'Opening workspace…'}
      </span>
      {info && !info.searchIndexReady && hasData && (
        <span className="muted">Search index is being built; text search may be slower</span>
      )}
      <span className="muted">
        Double-click or Enter opens a message · Ctrl+C copies a cell, Ctrl+Shift+C the row
      </span>
      <ZoneSelect
        label="Times in"
        value={zoneChoice}
        onChange={setZoneSetting}
        offerLocal
        testId="display-zone"
      />
    </footer>
  );
}
