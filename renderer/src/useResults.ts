/**
 * Count, facets and histogram for the current filter. Each answer is dropped if the filter changed
 * meanwhile, and a SEARCH_SYNTAX error becomes the search box's inline error (with its position).
 */
import { useEffect, useRef, useState } from 'react';
import type { Facets, FilterModel, Histogram } from '../../common/contract';
import { ApiError, call, errorText } from './ipc';
import type { RowsSignal } from './rowsSignal';
import { displayZone } from './zone/displayZone';
import type { SearchError } from './search/SearchBox';

export interface Results {
  readonly count: number | null;
  readonly facets: Facets | null;
  readonly histogram: Histogram | null;
  readonly loading: boolean;
  readonly searchError: SearchError | null;
  readonly error: string | null;
}

function toSearchError(err: unknown): SearchError | null {
  if (!(err instanceof ApiError) || err.code !== 'SEARCH_SYNTAX') return null;
  const d = err.details;
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  const fields = Array.isArray(d.validFields)
    ? d.validFields.filter((x): x is string => typeof x === 'string')
    : undefined;
  return { message: err.message, start: num(d.start), end: num(d.end), validFields: fields };
}

/**
 * `_rows` is no longer waited for: the engine serves pages on its first reader thread and count,
 * facets and histogram on another (main/engine/worker/host.ts), so the side queries no longer queue
 * in front of the rows. Waiting for the rows first, then the count, then the panels put the first
 * page's time plus a round trip each in front of the whole answer (`jane` at 1M rows: the count
 * was sent 193 ms after the page, facets and histogram after the count). The parameter stays so
 * App.tsx and the grid are unchanged on this branch; rowsSignal.ts can go with it.
 */
export function useResults(
  filter: FilterModel,
  enabled: boolean,
  refreshKey: number,
  _rows: RowsSignal,
): Results {
  const [state, setState] = useState<Results>({
    count: null,
    facets: null,
    histogram: null,
    loading: false,
    searchError: null,
    error: null,
  });
  const seq = useRef(0);

  useEffect(() => {
    if (!enabled) return;
    const my = ++seq.current;
    const live = (): boolean => my === seq.current;
    // Keep the previous facets/histogram on screen while the new ones load: no layout jump.
    setState((s) => ({ ...s, count: null, loading: true, searchError: null, error: null }));
    const fail = (err: unknown): void => {
      if (!live()) return;
      const se = toSearchError(err);
      setState((s) => ({ ...s, loading: false, searchError: se, error: se ? null : errorText(err) }));
    };
    const run = async (): Promise<void> => {
      // Sent at once, in the order the last reader answers them: the count first (the id set it
      // finds serves the other two), then the panels.
      const count = call('rows:count', { filter }).then(
        (n) => live() && setState((s) => ({ ...s, count: n })),
        fail,
      );
      const facets = call('facets:get', { filter, top: 8 }).then(
        (f) => live() && setState((s) => ({ ...s, facets: f })),
        fail,
      );
      const histogram = call('histogram:get', { filter, buckets: 60, timeZone: displayZone() }).then(
        (h) => live() && setState((s) => ({ ...s, histogram: h })),
        fail,
      );
      await Promise.allSettled([count, facets, histogram]);
      if (live()) setState((s) => ({ ...s, loading: false }));
    };
    void run();
  }, [filter, enabled, refreshKey]);

  return state;
}
