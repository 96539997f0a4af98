/** The window's keyboard shortcuts: Ctrl+F search, Ctrl+E export, Ctrl+L lookup, Ctrl+O import, Escape closes the drawer. */
import { useEffect } from 'react';

export function useShortcuts(opts: {
  readonly hasData: boolean;
  /** The drawer is open and no dialog is above it: Escape closes it. */
  readonly drawerOnTop: boolean;
  readonly focusSearch: () => void;
  readonly openExport: () => void;
  readonly openLookup: () => void;
  readonly pickAndImport: () => void;
  readonly closeDrawer: () => void;
}): void {
  const { hasData, drawerOnTop, focusSearch, openExport, openLookup, pickAndImport, closeDrawer } = opts;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const mod = e.ctrlKey || e.metaKey;
      const k = e.key.toLowerCase();
      if (mod && k === 'f') {
        e.preventDefault();
        focusSearch();
      } else if (mod && k === 'e' && hasData) {
        e.preventDefault();
        openExport();
      } else if (mod && k === 'l' && hasData) {
        e.preventDefault();
        openLookup();
      } else if (mod && k === 'o') {
        e.preventDefault();
        pickAndImport();
      } else if (e.key === 'Escape' && drawerOnTop) closeDrawer();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [hasData, drawerOnTop, focusSearch, openExport, openLookup, pickAndImport, closeDrawer]);
}
