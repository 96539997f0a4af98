/** Bounce incidents over the whole case, reloaded when the workspace's data changes. */
import { useEffect, useState } from 'react';
import type { IncidentsReport } from '../../../common/insights';
import { call } from '../ipc';

export function useIncidents(enabled: boolean, refreshKey: number): IncidentsReport | null {
  const [data, setData] = useState<IncidentsReport | null>(null);
  useEffect(() => {
    if (!enabled) return undefined;
    let live = true;
    // Against each provider's own baseline over the whole case, not the current filter: a filter such
    // as status:ERROR would make every hour look the same.
    call('insights:incidents', { filter: {} }).then(
      (d) => live && setData(d),
      () => live && setData(null),
    );
    return () => {
      live = false;
    };
  }, [enabled, refreshKey]);
  return data;
}
