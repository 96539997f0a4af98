/**
 * The last ten searches committed (Enter, a facet or a link), kept per workspace in its settings and
 * offered by the search box. Saved a moment after the search so the write does not compete with it.
 */
import { useCallback, useRef, useState } from 'react';
import { call } from '../ipc';

const RECENT_KEY = 'search.recent';
const KEEP = 10;

/** The saved list, or none when the setting is damaged or not a list of strings (never a throw). */
function parseRecent(saved: string): string[] {
  try {
    const list: unknown = JSON.parse(saved);
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string').slice(0, KEEP) : [];
  } catch {
    return [];
  }
}

export function useRecentSearches(): {
  readonly recent: string[];
  readonly loadRecent: () => void;
  readonly commitQuery: (q: string) => void;
} {
  const [recent, setRecent] = useState<string[]>([]);
  // The list as last set, for commits made before React re-renders.
  const recentRef = useRef<string[]>([]);

  const loadRecent = useCallback(() => {
    call('settings:get', { key: RECENT_KEY }).then(
      (v) => {
        recentRef.current = v ? parseRecent(v) : [];
        setRecent(recentRef.current);
      },
      () => setRecent([]),
    );
  }, []);

  const commitQuery = useCallback((q: string) => {
    const t = q.trim();
    if (!t) return;
    const next = [t, ...recentRef.current.filter((x) => x !== t)].slice(0, KEEP);
    recentRef.current = next;
    setRecent(next);
    window.setTimeout(() => {
      call('settings:set', { key: RECENT_KEY, value: JSON.stringify(next) }).catch(() => undefined);
    }, 1000);
  }, []);

  return { recent, loadRecent, commitQuery };
}
