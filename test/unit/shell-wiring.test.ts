/**
 * The electron-importing wiring (main/shell/index.ts and friends) driven under Node against a fake
 * 'electron' module: what gets registered, with which options, and how IPC, drops, permissions,
 * navigation and quit behave. Real Electron runs in test/electron where a binary exists.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CHANNELS } from '../../common/contract';

type Fn = (...args: never[]) => unknown;
type Handler = (event: unknown, raw: unknown) => Promise<unknown>;

const root = path.resolve(__dirname, '../../..');
const userData = mkdtempSync(path.join(os.tmpdir(), 'di-shell-wiring-'));
const handlers = new Map<string, Handler>();
const listeners = new Map<string, (event: unknown, raw: unknown) => void>();
const sent: Array<[string, unknown]> = [];
const schemes: unknown[] = [];
const sessionHooks: Record<string, Fn> = {};
const windows: FakeWindow[] = [];
let quitCalls = 0;
let menu: unknown = null;

class FakeContents extends EventEmitter {
  openHandler: Fn | null = null;
  send(channel: string, payload: unknown): void {
    sent.push([channel, payload]);
  }
  setWindowOpenHandler(h: Fn): void {
    this.openHandler = h;
  }
}

class FakeWindow extends EventEmitter {
  readonly webContents = new FakeContents();
  url = '';
  constructor(readonly options: Record<string, unknown>) {
    super();
    windows.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.url = url;
    return Promise.resolve();
  }
  isDestroyed = (): boolean => false;
  isFocused = (): boolean => true;
  isMaximized = (): boolean => false;
  isMinimized = (): boolean => false;
  getNormalBounds = () => ({ x: 10, y: 20, width: 1000, height: 700 });
  setProgressBar = (): void => undefined;
  maximize = (): void => undefined;
  show = (): void => undefined;
  focus = (): void => undefined;
  restore = (): void => undefined;
}

const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  whenReady: () => Promise.resolve(),
  isReady: () => true,
  getAppPath: () => root,
  getPath: () => userData,
  getVersion: () => '0.0.0-test',
  requestSingleInstanceLock: () => true,
  setAppUserModelId: () => undefined,
  setAboutPanelOptions: () => undefined,
  showAboutPanel: () => undefined,
  quit: () => {
    quitCalls++;
    app.emit('will-quit', { preventDefault: () => undefined });
  },
  exit: () => undefined,
});

const hook =
  (name: string) =>
  (h: Fn): void => {
    sessionHooks[name] = h;
  };
const fakeElectron = {
  app,
  BrowserWindow: FakeWindow,
  ipcMain: {
    handle: (ch: string, h: Handler) => handlers.set(ch, h),
    on: (ch: string, h: (e: unknown, raw: unknown) => void) => listeners.set(ch, h),
    removeHandler: (ch: string) => handlers.delete(ch),
    removeAllListeners: (ch: string) => listeners.delete(ch),
  },
  protocol: { registerSchemesAsPrivileged: (s: unknown[]) => schemes.push(...s) },
  session: {
    defaultSession: {
      protocol: {
        handle: (scheme: string, h: Fn) => {
          sessionHooks[`protocol:${scheme}`] = h;
        },
      },
      setPermissionRequestHandler: hook('permissionRequest'),
      setPermissionCheckHandler: hook('permissionCheck'),
      setDevicePermissionHandler: hook('devicePermission'),
      webRequest: { onBeforeRequest: hook('beforeRequest') },
      on: (_event: string, h: Fn) => hook('download')(h),
    },
  },
  Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (menu = m) },
  dialog: {
    showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
    showSaveDialog: () => Promise.resolve({ canceled: true }),
    showErrorBox: (title: string, msg: string) => assert.fail(`unexpected error box: ${title}: ${msg}`),
  },
  shell: { showItemInFolder: () => undefined, openPath: () => Promise.resolve('') },
  Notification: Object.assign(
    class {
      show(): void {}
    },
    { isSupported: () => false },
  ),
  screen: {
    getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
    getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
  },
};

let win: FakeWindow;
const trusted = () => ({
  sender: win.webContents,
  senderFrame: { url: 'app://bundle/index.html', parent: null },
});

before(async () => {
  const electronPath = require.resolve('electron');
  require.cache[electronPath] = {
    id: electronPath,
    filename: electronPath,
    loaded: true,
    exports: fakeElectron,
  } as NodeJS.Module;
  await import('../../main/shell/index');
  for (let i = 0; i < 200 && windows.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  const first = windows[0];
  assert.ok(first, 'the window was created');
  win = first;
});

after(async () => {
  const before = quitCalls;
  app.emit('will-quit', { preventDefault: () => undefined });
  for (let i = 0; i < 200 && quitCalls === before; i++) await new Promise((r) => setTimeout(r, 25));
  rmSync(userData, { recursive: true, force: true });
});

test('app:// is registered as a privileged standard, secure scheme and the page loads from it', () => {
  assert.deepEqual(schemes, [
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
  assert.equal(win.url, 'app://bundle/index.html');
  assert.equal(typeof sessionHooks['protocol:app'], 'function', 'app:// is served');
});

test('the app:// handler serves with the CSP header and refuses other hosts', async () => {
  const serve = sessionHooks['protocol:app'] as unknown as (r: Request) => Promise<Response>;
  const page = await serve(new Request('app://bundle/index.html'));
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.equal((await serve(new Request('app://elsewhere/index.html'))).status, 403);
});

test('the window is locked down and uses the bundled preload', () => {
  const prefs = win.options.webPreferences as Record<string, unknown>;
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.preload, path.join(root, 'dist', 'preload', 'bundle.js'));
});

test('one handler per contract channel; the default workspace answers trusted calls', async () => {
  assert.deepEqual([...handlers.keys()].sort(), [...CHANNELS].sort());
  const info = (await handlers.get('workspace:info')?.(trusted(), {})) as {
    ok: boolean;
    value: { path: string };
  };
  assert.equal(info.ok, true);
  assert.equal(info.value.path, path.join(userData, 'workspaces', 'default.sqlite'));
});

test('calls from an iframe, another web contents or a foreign page are refused', async () => {
  const call = handlers.get('workspace:info');
  assert.ok(call);
  for (const event of [
    { ...trusted(), senderFrame: { url: 'app://bundle/index.html', parent: {} } },
    { ...trusted(), sender: new FakeContents() },
    { ...trusted(), senderFrame: { url: 'https://evil.example/', parent: null } },
    { ...trusted(), senderFrame: null },
  ]) {
    const r = (await call(event, {})) as { ok: boolean; error?: { code: string } };
    assert.deepEqual([r.ok, r.error?.code], [false, 'FORBIDDEN']);
  }
});

test('dropped files are announced to the page after load and then may be imported', async () => {
  const csv = path.join(userData, 'dropped.csv');
  writeFileSync(csv, 'not really an export');
  win.webContents.emit('did-finish-load');
  listeners.get('shell:files-dropped')?.(trusted(), [csv, path.join(userData, 'notes.docx')]);
  assert.deepEqual(sent.at(-1), ['files:opened', { paths: [csv] }]);
  const forged = (await handlers.get('import:start')?.(trusted(), { jobId: 'x', paths: ['/etc/hosts'] })) as {
    error?: { code: string };
  };
  assert.equal(forged.error?.code, 'FORBIDDEN');
  const granted = (await handlers.get('import:start')?.(trusted(), { jobId: 'y', paths: [csv] })) as {
    ok: boolean;
    error?: { code: string };
  };
  assert.notEqual(granted.error?.code, 'FORBIDDEN', 'a dropped file is granted for import');
});

test('permissions are denied, the network is cut, downloads are cancelled', () => {
  const answers: boolean[] = [];
  const request = sessionHooks.permissionRequest as unknown as (...a: unknown[]) => void;
  request(null, 'media', (ok: boolean) => answers.push(ok), { requestingUrl: 'app://bundle/index.html' });
  request(null, 'clipboard-sanitized-write', (ok: boolean) => answers.push(ok), {
    requestingUrl: 'app://bundle/index.html',
  });
  assert.deepEqual(answers, [false, true]);
  const cancelled: boolean[] = [];
  const beforeRequest = sessionHooks.beforeRequest as unknown as (...a: unknown[]) => void;
  beforeRequest({ url: 'https://example.com/x.js' }, (r: { cancel: boolean }) => cancelled.push(r.cancel));
  beforeRequest({ url: 'app://bundle/assets/a.js' }, (r: { cancel: boolean }) => cancelled.push(r.cancel));
  assert.deepEqual(cancelled, [true, false]);
  let prevented = false;
  (sessionHooks.download as unknown as (e: unknown) => void)({ preventDefault: () => (prevented = true) });
  assert.ok(prevented);
});

test('every web contents: navigation and new windows denied', () => {
  const contents = new FakeContents();
  app.emit('web-contents-created', {}, contents);
  let prevented = 0;
  const event = { preventDefault: () => prevented++, url: 'https://evil.example/' };
  for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate', 'will-attach-webview'])
    contents.emit(name, event);
  assert.equal(prevented, 4);
  assert.deepEqual(contents.openHandler?.(), { action: 'deny' });
});

test('the native menu is installed', () => {
  assert.ok(Array.isArray(menu));
  assert.deepEqual(
    (menu as Array<{ label?: string }>).map((m) => m.label),
    process.platform === 'darwin'
      ? ['Delivery Inspector', '&File', '&Edit', '&View', '&Help']
      : ['&File', '&Edit', '&View', '&Help'],
  );
});
