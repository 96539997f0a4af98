/** The one app window: locked-down webPreferences and remembered bounds. */
import { BrowserWindow, screen } from 'electron';
import { APP_ENTRY_URL } from './origin';
import {
  MIN_HEIGHT,
  MIN_WIDTH,
  clampToDisplays,
  loadWindowState,
  saveWindowState,
  type WindowState,
} from './windowState';

export interface WindowOptions {
  readonly preloadPath: string;
  readonly stateFile: string;
  readonly title: string;
  readonly devTools: boolean;
  readonly icon?: string;
}

function currentState(win: BrowserWindow): WindowState {
  // Normal bounds, so a maximized window comes back maximized over its previous size.
  const b = win.getNormalBounds();
  return { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
}

export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const saved = loadWindowState(opts.stateFile);
  const state = clampToDisplays(
    saved,
    screen.getAllDisplays().length === 0
      ? []
      : [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: opts.title,
    ...(opts.icon ? { icon: opts.icon } : {}),
    webPreferences: {
      // Reviewed: the preload exposes only the contract's functions through contextBridge.
      preload: opts.preloadPath, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // Dropped files are handled by preload; the page itself must never navigate to file://.
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click must not open links in new windows (they are denied anyway).
      disableBlinkFeatures: 'Auxclick',
      devTools: opts.devTools,
    },
  });
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });
  win.on('close', () => {
    try {
      saveWindowState(opts.stateFile, currentState(win));
    } catch {
      // Losing the window position is not worth blocking quit.
    }
  });
  win.loadURL(APP_ENTRY_URL).catch((err: unknown) => {
    console.error('Could not load the app page:', err);
  });
  return win;
}
