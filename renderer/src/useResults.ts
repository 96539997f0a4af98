/**
 * Count, facets and histogram for the current filter. Each answer is dropped if the filter changed
 * meanwhile, and a SEARCH_SYNTAX error becomes the search box's inline error (with its position).
 */
import { startTransition, useEffect, useRef, useState } from 'react';
import type { Facets, FilterModel, Histogram } from '../../common/contract';
import { ApiError, call, errorText } from './ipc';
import { filterKey, type RowsSignal } from './rowsSignal';
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
 * Count, facets and histogram are requested together with the grid's first page: the engine serves
 * pages on its first reader thread and these three on another (main/engine/worker/host.ts). Waiting
 * for the rows, then the count, then the panels put a round trip each in front of the whole answer
 * (`jane` at 1M rows: the count was sent 193 ms after the page). Only showing them waits for the rows.
 */
export function useResults(
  filter: FilterModel,
  enabled: boolean,
  refreshKey: number,
  rows: RowsSignal,
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
      // finds serves the other two), then the panels. Their answers are shown once the grid has
      // painted this filter's first rows (or after 1.5 s): rendering the panels first delayed the
      // rows (measured, 1M rows: Enter to rows shown 86-159 ms with the panels drawn as they came,
      // against 89-114 ms before). Errors are shown at once.
      // The timeout is a safety net for a grid that never asks (it took over under load at 400 ms:
      // rows at 1M under load ~15 came 500-1000 ms after Enter, and the panels were drawn first).
      const shown = rows.wait(filterKey(filter), 1500);
      const show = <T>(answer: Promise<T>, apply: (value: T) => void): Promise<void> =>
        Promise.all([answer, shown]).then(([value]) => {
          // A transition: React renders the panels in slices and lets the browser paint between
          // them, so a frame the grid still has to paint is not held up by the whole panel render.
          if (live()) startTransition(() => apply(value));
        }, fail);
      const count = show(call('rows:count', { filter }), (n) => setState((s) => ({ ...s, count: n })));
      const facets = show(call('facets:get', { filter, top: 8 }), (f) =>
        setState((s) => ({ ...s, facets: f })),
      );
      const histogram = show(call('histogram:get', { filter, buckets: 60, timeZone: displayZone() }), (h) =>
        setState((s) => ({ ...s, histogram: h })),
      );
      await Promise.allSettled([count, facets, histogram]);
      // In a transition too: an urgent update would be drawn before the answers' pending ones.
      if (live()) startTransition(() => setState((s) => ({ ...s, loading: false })));
    };
    void run();
  }, [filter, enabled, refreshKey, rows]);

  return state;
}
