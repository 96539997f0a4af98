/** Events pushed by the shell and the engine: menu commands, files opened with the app, workspace changes, engine restarts. */
import { useEffect } from 'react';
import type { WorkspaceInfo } from '../../common/contract';
import { call, errorText, on } from './ipc';

export function useShellEvents(opts: {
  readonly pickAndImport: () => void;
  readonly openExport: () => void;
  readonly focusSearch: () => void;
  readonly toggleTheme: () => void;
  readonly chooseImport: (paths: readonly string[]) => void;
  /** Another workspace is open: views reset, everything reloads. */
  readonly workspaceChanged: (w: WorkspaceInfo) => void;
  readonly reload: () => void;
  readonly notify: (text: string) => void;
}): void {
  const {
    pickAndImport,
    openExport,
    focusSearch,
    toggleTheme,
    chooseImport,
    workspaceChanged,
    reload,
    notify,
  } = opts;
  useEffect(() => {
    const offs = [
      on('menu:command', ({ command }) => {
        if (command === 'import') pickAndImport();
        else if (command === 'export') openExport();
        else if (command === 'find') focusSearch();
        else if (command === 'toggle-theme') toggleTheme();
        else if (command === 'new-workspace')
          call('workspace:new', {}).catch((e: unknown) => notify(errorText(e)));
        else call('workspace:open', {}).catch((e: unknown) => notify(errorText(e)));
      }),
      on('files:opened', ({ paths }) => chooseImport(paths)),
      on('workspace:changed', workspaceChanged),
      on('engine:restarted', ({ reason }) => {
        notify(`The engine restarted (${reason}); results were reloaded.`);
        reload();
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [pickAndImport, openExport, focusSearch, toggleTheme, chooseImport, workspaceChanged, reload, notify]);
}
