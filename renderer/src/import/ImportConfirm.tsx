/**
 * The files about to be imported and the one thing detection cannot know: the zone of times written
 * without one (the portal exports UTC, a re-saved spreadsheet may hold local times). Remembered.
 */
import { useEffect, useState } from 'react';
import { fileName } from '../format';
import { call } from '../ipc';
import { ZoneSelect } from '../zone/ZoneSelect';

export const IMPORT_ZONE_KEY = 'import.timeZone';

export function ImportConfirm({
  paths,
  onStart,
  onCancel,
}: {
  readonly paths: readonly string[];
  readonly onStart: (timeZone: string) => void;
  readonly onCancel: () => void;
}): React.JSX.Element {
  const [zone, setZone] = useState('UTC');
  useEffect(() => {
    call('settings:get', { key: IMPORT_ZONE_KEY }).then(
      (v) => v && setZone(v),
      () => undefined,
    );
  }, []);
  return (
    <form
      className="import-confirm"
      data-testid="import-confirm"
      onSubmit={(e) => {
        e.preventDefault();
        call('settings:set', { key: IMPORT_ZONE_KEY, value: zone }).catch(() => undefined);
        onStart(zone);
      }}
    >
      <ul className="file-list">
        {paths.map((p) => (
          <li key={p} title={p}>
            {fileName(p)}
          </li>
        ))}
      </ul>
      <ZoneSelect
        label="Times without a time zone are in"
        value={zone}
        onChange={setZone}
        offerLocal={false}
        testId="import-zone"
      />
      <p className="muted">
        The portal writes UTC. Times that carry an offset (Z, +02:00) are read as written either way.
      </p>
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" data-autofocus>
          Import
        </button>
      </div>
    </form>
  );
}
