/**
 * Light/dark: follows the OS (prefers-color-scheme) until the user toggles from the menu. The app's
 * CSS reads [data-theme] on <html>; AG Grid's colour scheme reads data-ag-theme-mode on <body>.
 * System fonts only: the Content-Security-Policy allows no remote fonts, and the grid's theme must
 * not ask for Google Fonts.
 */
import { themeQuartz } from 'ag-grid-community';
import { useCallback, useEffect, useState } from 'react';

export const gridTheme = themeQuartz.withParams({
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontSize: 13,
  headerFontSize: 13,
  spacing: 6,
  rowHeight: 32,
  headerHeight: 36,
  wrapperBorderRadius: 0,
  wrapperBorder: false,
  // The app's own colour variables, so the grid matches the panels around it in both themes.
  backgroundColor: 'var(--panel)',
  foregroundColor: 'var(--text)',
  accentColor: 'var(--accent)',
});

export type ThemeMode = 'light' | 'dark';

function systemMode(): ThemeMode {
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function apply(mode: ThemeMode): void {
  document.documentElement.dataset.theme = mode;
  document.body.dataset.agThemeMode = mode;
}

export function useTheme(): { mode: ThemeMode; toggle: () => void } {
  const [override, setOverride] = useState<ThemeMode | null>(null);
  const [system, setSystem] = useState<ThemeMode>(systemMode);

  useEffect(() => {
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const onChange = (): void => setSystem(mq.matches ? 'dark' : 'light');
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);

  const mode = override ?? system;
  useEffect(() => apply(mode), [mode]);
  const toggle = useCallback(
    () => setOverride((o) => ((o ?? systemMode()) === 'dark' ? 'light' : 'dark')),
    [],
  );
  return { mode, toggle };
}
