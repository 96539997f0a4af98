/**
 * The native menu as a template built from callbacks, so its structure and accelerators are tested
 * under Node. Only types come from electron (erased at compile time); main.ts builds the real Menu.
 */
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../common/contract';

export interface MenuActions {
  /** Forwarded to the renderer as the 'menu:command' event. */
  readonly command: (command: MenuCommand) => void;
  readonly openRecent: (workspacePath: string) => void;
  readonly openDataFolder: () => void;
  readonly about: () => void;
}

export interface MenuOptions {
  readonly platform: NodeJS.Platform;
  readonly appName: string;
  readonly recent: readonly string[];
  /** Only unpackaged builds offer DevTools and reload. */
  readonly devTools: boolean;
}

export const ACCELERATORS = {
  newWorkspace: 'CmdOrCtrl+N',
  openWorkspace: 'CmdOrCtrl+Shift+O',
  import: 'CmdOrCtrl+O',
  export: 'CmdOrCtrl+E',
  find: 'CmdOrCtrl+F',
  toggleTheme: 'CmdOrCtrl+Shift+L',
} as const;

/** Menu labels treat '&' as a mnemonic marker on Windows and Linux; a path must show it literally. */
export function menuLabel(text: string): string {
  return text.replace(/&/g, '&&');
}

function recentItems(opts: MenuOptions, actions: MenuActions): MenuItemConstructorOptions[] {
  if (opts.recent.length === 0) return [{ label: 'No recent workspaces', enabled: false }];
  return opts.recent.map((p) => ({
    label: menuLabel(`${path.basename(p)} — ${path.dirname(p)}`),
    click: () => actions.openRecent(p),
  }));
}

export function buildMenuTemplate(opts: MenuOptions, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = opts.platform === 'darwin';
  const cmd = (c: MenuCommand) => () => actions.command(c);
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Workspace…', accelerator: ACCELERATORS.newWorkspace, click: cmd('new-workspace') },
      { label: 'Open Workspace…', accelerator: ACCELERATORS.openWorkspace, click: cmd('open-workspace') },
      { label: 'Recent Workspaces', submenu: recentItems(opts, actions) },
      { type: 'separator' },
      { label: 'Import Files…', accelerator: ACCELERATORS.import, click: cmd('import') },
      { label: 'Export…', accelerator: ACCELERATORS.export, click: cmd('export') },
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { label: 'Find…', accelerator: ACCELERATORS.find, click: cmd('find') },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { label: 'Toggle Dark Mode', accelerator: ACCELERATORS.toggleTheme, click: cmd('toggle-theme') },
      { role: 'togglefullscreen' },
      ...(opts.devTools
        ? [{ type: 'separator' } as const, { role: 'reload' } as const, { role: 'toggleDevTools' } as const]
        : []),
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      ...(mac ? [] : [{ label: `About ${opts.appName}`, click: () => actions.about() }]),
      { label: 'Open Data Folder', click: () => actions.openDataFolder() },
    ],
  };
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: opts.appName,
          submenu: [
            { label: `About ${opts.appName}`, click: () => actions.about() },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [...appMenu, file, edit, view, help];
}
