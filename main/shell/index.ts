/**
 * Electron main entry: lifecycle, the window, the menu, IPC registration and relaying engine events.
 * Decisions live in the plain modules beside this file (tested under Node); this file only wires them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BrowserWindow, Menu, Notification, app, dialog, session, shell } from 'electron';
import type { Envelope, EventName, Events, ExportResult, ImportResult } from '../../common/contract';
import type { EngineHost } from '../engine/worker/host';
import { createIpcTable } from '../ipc/table';
import { createDialogs } from './dialogs';
import { classifyFiles, fileArgs } from './files';
import { PathGrants } from './grants';
import { grantCheck } from './guard';
import { registerIpc, senderCheck } from './ipc';
import { exportFraction, exportNotice, importFraction, importNotice, type Notice } from './jobs';
import { buildMenuTemplate } from './menu';
import { htmlToPdf } from './report-pdf';
import { hardenContents, hardenSession, registerAppScheme, serveBundle } from './security';
import { WorkspaceSession } from './session';
import { createMainWindow } from './window';
import { defaultWorkspacePath } from './workspaces';

const APP_NAME = 'Delivery Inspector';
const APP_ID = 'com.deliveryinspector.desktop';

let win: BrowserWindow | null = null;
let pageLoaded = false;
const pendingImports: string[] = [];
const grants = new PathGrants();
let workspace: WorkspaceSession | null = null;
let unrelay: Array<() => void> = [];

function send<E extends EventName>(event: E, payload: Events[E]): void {
  if (win && !win.isDestroyed()) win.webContents.send(event, payload);
}

function progress(fraction: number): void {
  if (win && !win.isDestroyed()) win.setProgressBar(fraction);
}

function notify(notice: Notice | null): void {
  if (notice && Notification.isSupported())
    new Notification({ title: notice.title, body: notice.body }).show();
}

function showError(title: string, err: unknown): void {
  dialog.showErrorBox(title, err instanceof Error ? err.message : String(err));
}

/** Engine events go to the page and the taskbar; re-subscribed whenever the workspace changes. */
function relay(host: EngineHost): void {
  for (const off of unrelay) off();
  unrelay = [
    host.on('import:progress', (p) => {
      send('import:progress', p);
      progress(importFraction(p));
    }),
    host.on('export:progress', (p) => {
      send('export:progress', p);
      progress(exportFraction(p));
    }),
    host.on('engine:restarted', (p) => {
      send('engine:restarted', p);
      progress(-1);
    }),
  ];
}

function flushImports(): void {
  if (!pageLoaded || pendingImports.length === 0) return;
  send('files:opened', { paths: pendingImports.splice(0) });
}

/** Files from argv, the OS or drag-and-drop: workspaces are opened, exports queued for import. */
function openFiles(paths: readonly string[], cwd: string): void {
  const { imports, workspaces } = classifyFiles(paths, cwd);
  const ws = workspaces[workspaces.length - 1];
  if (ws && workspace)
    workspace.open(ws).catch((err: unknown) => showError('Could not open the workspace', err));
  if (imports.length > 0) {
    grants.grant('import', imports);
    pendingImports.push(...imports);
    flushImports();
  }
}

function buildMenu(): void {
  const template = buildMenuTemplate(
    {
      platform: process.platform,
      appName: APP_NAME,
      recent: workspace?.recent.list() ?? [],
      devTools: !app.isPackaged,
    },
    {
      command: (command) => send('menu:command', { command }),
      openRecent: (p) => {
        workspace?.open(p).catch((err: unknown) => showError('Could not open the workspace', err));
      },
      openDataFolder: () => {
        shell.openPath(app.getPath('userData')).catch(() => undefined);
      },
      about: () => app.showAboutPanel(),
    },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function afterCall(channel: string, result: unknown, durationMs: number): void {
  const focused = win !== null && !win.isDestroyed() && win.isFocused();
  if (channel === 'import:start') {
    progress(-1);
    notify(importNotice(result as Envelope<ImportResult>, durationMs, focused));
  } else if (channel === 'export:start') {
    progress(-1);
    notify(exportNotice(result as Envelope<ExportResult>, durationMs, focused));
  }
}

async function start(): Promise<void> {
  const appRoot = app.getAppPath();
  const userData = app.getPath('userData');
  hardenSession(session.defaultSession);
  serveBundle(session.defaultSession, path.join(appRoot, 'dist', 'renderer'));
  app.setAboutPanelOptions({ applicationName: APP_NAME, applicationVersion: app.getVersion() });

  const ws = new WorkspaceSession({
    userData,
    grants,
    dialogs: createDialogs(() => win),
    printToPdf: htmlToPdf,
    onChanged: (host, info) => {
      relay(host);
      send('workspace:changed', info);
      buildMenu();
    },
  });
  workspace = ws;
  try {
    await ws.start();
  } catch (err) {
    showError('Could not open the last workspace; opening the default one', err);
    await ws.open(defaultWorkspacePath(userData));
  }

  const table = createIpcTable(() => ws.host(), ws.shellDeps(), grantCheck(grants));
  registerIpc(
    table,
    senderCheck(() => win?.webContents ?? null),
    {
      after: afterCall,
      onDropped: (paths) => openFiles(paths, process.cwd()),
    },
  );
  buildMenu();

  const icon = path.join(appRoot, 'build', 'icon.png');
  win = createMainWindow({
    preloadPath: path.join(appRoot, 'dist', 'preload', 'bundle.js'),
    stateFile: path.join(userData, 'window-state.json'),
    title: APP_NAME,
    devTools: !app.isPackaged,
    ...(existsSync(icon) ? { icon } : {}),
  });
  win.webContents.on('did-start-loading', () => {
    pageLoaded = false;
  });
  win.webContents.on('did-finish-load', () => {
    pageLoaded = true;
    flushImports();
  });
  win.on('closed', () => {
    win = null;
  });
}

function main(): void {
  registerAppScheme();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  const launchFiles = fileArgs(process.argv, process.defaultApp === true);

  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  // macOS delivers files opened in Finder (and on launch) through this event, possibly before ready.
  app.on('open-file', (event, file) => {
    event.preventDefault();
    if (app.isReady()) openFiles([file], process.cwd());
    else launchFiles.push(file);
  });
  app.on('second-instance', (_event, argv, cwd) => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
    openFiles(fileArgs(argv, process.defaultApp === true), cwd);
  });
  app.on('window-all-closed', () => app.quit());

  let closed = false;
  app.on('will-quit', (event) => {
    if (closed || !workspace) return;
    // Close the workers so the WAL is checkpointed before the process ends.
    event.preventDefault();
    const ws = workspace;
    workspace = null;
    ws.close()
      .catch(() => undefined)
      .finally(() => {
        closed = true;
        app.quit();
      });
  });

  app
    .whenReady()
    .then(async () => {
      await start();
      openFiles(launchFiles, process.cwd());
    })
    .catch((err: unknown) => {
      showError(`${APP_NAME} could not start`, err);
      app.exit(1);
    });
}

main();
