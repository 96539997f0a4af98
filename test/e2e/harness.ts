/**
 * Browser e2e harness: the production renderer build (dist/renderer) served from 127.0.0.1, Debian's
 * Chromium driven by playwright-core, and window.api supplied by the same IPC handler table the
 * Electron main process registers, over the real engine on a real SQLite file in a temp folder.
 * Only the shell's native parts (file dialogs, "show in folder", workspaces) are test doubles.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHANNELS, EVENTS, type Channel, type EventName, type Events } from '../../common/contract';
import { findBrowser, machineProbe } from './browser-path';
import { layoutOverflow } from './page-checks';
import { EngineHost } from '../../main/engine/worker/host';
import { createIpcTable, type IpcTable, type ShellDeps } from '../../main/ipc/table';
import { pdfWithChromium } from '../../main/engine/report/chromium-pdf';
import { saveReport } from '../../main/shell/report';

const FOUND = findBrowser(machineProbe());
/** The browser every scenario drives (see browser-path.ts for the search order). */
export const CHROMIUM = FOUND.ok ? FOUND.path : '';
const RENDERER_DIR = path.resolve(__dirname, '../../renderer');
export const OUTPUT_DIR = path.resolve(process.cwd(), 'test-output/e2e');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Fails loudly (never skips) when a prerequisite is missing: CI installs both. */
export function assertPrerequisites(): void {
  if (!FOUND.ok) throw new Error(FOUND.reason);
  if (!existsSync(path.join(RENDERER_DIR, 'index.html')))
    throw new Error(`No renderer build at ${RENDERER_DIR}: run "npm run build:renderer" first`);
}

export async function serveRenderer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const rel =
      decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(RENDERER_DIR, rel);
    if (!file.startsWith(RENDERER_DIR + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Builds window.api from the contract exactly as preload/api.ts does, over the exposed binding. */
function initScript(): string {
  return `(() => {
    const CHANNELS = ${JSON.stringify(CHANNELS)};
    const EVENTS = ${JSON.stringify(EVENTS)};
    const listeners = new Map(EVENTS.map((e) => [e, new Set()]));
    const held = new Map();
    const api = {};
    for (const c of CHANNELS) api[c] = async (args) => {
      const text = await window.__diInvoke(c, args ?? {});
      return text === undefined ? undefined : JSON.parse(text);
    };
    api.on = (event, listener) => {
      const set = listeners.get(event);
      if (!set) throw new TypeError('Unknown event: ' + event);
      set.add(listener);
      const waiting = held.get(event);
      if (waiting) { held.delete(event); for (const p of waiting) listener(p); }
      return () => { set.delete(listener); };
    };
    Object.defineProperty(window, '__diDispatch', { value: (event, payload) => {
      const set = listeners.get(event);
      if (set && set.size) for (const l of set) l(payload);
      else if (event === 'files:opened') held.set(event, [...(held.get(event) ?? []), payload]);
    } });
    Object.defineProperty(window, 'api', { value: Object.freeze(api) });
  })();`;
}

export interface AppSession {
  readonly page: Page;
  readonly host: EngineHost;
  readonly table: IpcTable;
  readonly dir: string;
  readonly dbPath: string;
  /** What the next 'import:pick' returns. */
  pickPaths: string[];
  /** Where the next 'export:pick' writes. */
  exportPath: string;
  /** Where 'report:save' writes, without the extension (.html / .pdf is added). */
  reportPath: string;
  readonly shownInFolder: string[];
  readonly calls: Channel[];
  push: <E extends EventName>(event: E, payload: Events[E]) => Promise<void>;
  screenshot: (name: string) => Promise<string>;
  close: () => Promise<void>;
}

export async function openApp(
  browser: Browser,
  url: string,
  opts: {
    dbPath?: string;
    viewport?: { width: number; height: number };
    scale?: number;
    colorScheme?: 'light' | 'dark';
    /** The browser's own zone (what "local" means to the app). */
    timezoneId?: string;
  } = {},
): Promise<AppSession> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'di-e2e-'));
  const dbPath = opts.dbPath ?? path.join(dir, 'workspace.sqlite');
  const host = EngineHost.open(dbPath);
  const shown: string[] = [];
  const calls: Channel[] = [];
  const session = {
    pickPaths: [] as string[],
    exportPath: path.join(dir, 'export.csv'),
    reportPath: path.join(dir, 'case-report'),
  };
  const shell: ShellDeps = {
    'workspace:new': () => Promise.resolve(null),
    'workspace:open': () => Promise.resolve(null),
    'workspace:recent': () => Promise.resolve([]),
    'import:pick': () => Promise.resolve(session.pickPaths),
    'export:pick': () => Promise.resolve(session.exportPath),
    'shell:showInFolder': ({ path: p }) => {
      shown.push(p);
      return Promise.resolve(true as const);
    },
    // The app's save flow with the dialog answered by `reportPath` and PDF printed by this Chromium.
    'report:save': (args) =>
      saveReport(
        {
          pickPath: (_name, format) => Promise.resolve(`${session.reportPath}.${format}`),
          build: (filter) => host.invoke('report:html', { filter }),
          toPdf: (html) => pdfWithChromium(html, browser),
        },
        args,
      ),
  };
  const table = createIpcTable(() => host, shell);
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1440, height: 900 },
    deviceScaleFactor: opts.scale ?? 1,
    colorScheme: opts.colorScheme ?? 'light',
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
  });
  const page = await context.newPage();
  // Results cross as JSON text: Playwright's own serialisation of a 100-row page cost ~40 ms a call
  // (measured: object 150 ms, JSON text 31 ms, under load), which Electron's structured clone does
  // not; the contract's values are all JSON values, so the page receives the same objects.
  await page.exposeBinding('__diInvoke', async (_src, channel: Channel, args: unknown) => {
    calls.push(channel);
    const fn = table[channel] as ((raw: unknown) => Promise<unknown>) | undefined;
    const result: unknown = fn
      ? await fn(args)
      : { ok: false, error: { code: 'INVALID_ARGUMENT', message: `unknown channel ${String(channel)}` } };
    return result === undefined ? undefined : JSON.stringify(result);
  });
  await page.addInitScript(initScript());
  const push = async <E extends EventName>(event: E, payload: Events[E]): Promise<void> => {
    if (page.isClosed()) return;
    await page
      .evaluate(`window.__diDispatch(${JSON.stringify(event)}, ${JSON.stringify(payload)})`)
      .catch(() => undefined); // the page may be navigating or closing; events are best effort, as in Electron
  };
  const offs = EVENTS.map((e) => host.on(e, (p) => void push(e, p)));
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);

  return Object.assign(session, {
    page,
    host,
    table,
    dir,
    dbPath,
    shownInFolder: shown,
    calls,
    push,
    async screenshot(name: string): Promise<string> {
      mkdirSync(OUTPUT_DIR, { recursive: true });
      const file = path.join(OUTPUT_DIR, `${name}.png`);
      await page.screenshot({ path: file });
      const overflow = await layoutOverflow(page);
      if (overflow.length)
        throw new Error(`${name}: elements overflow the window horizontally: ${overflow.join('; ')}`);
      const errorFile = path.join(OUTPUT_DIR, `${name}.errors.txt`);
      rmSync(errorFile, { force: true });
      if (errors.length) {
        writeFileSync(errorFile, errors.join('\n'));
        throw new Error(`${name}: the page logged errors: ${errors.join(' | ')}`);
      }
      return file;
    },
    async close(): Promise<void> {
      for (const off of offs) off();
      await context.close();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
    pageErrors: errors,
  });
}

export type OpenOptions = NonNullable<Parameters<typeof openApp>[2]>;

/** What one browser-test file shares: a temp folder, the served renderer and one Chromium. */
export interface BrowserSuite {
  /** A temp folder for the file's fixtures, removed after its last test. */
  readonly dir: string;
  readonly browser: Browser;
  readonly url: string;
  /** A new app session (own workspace, own browser context) over the suite's browser and server. */
  open: (opts?: OpenOptions) => Promise<AppSession>;
}

/**
 * Registers the node:test hooks every browser-test file needs and returns the suite. The temp folder
 * exists at once; the server and browser start in the suite's `before` or on the first `open`,
 * whichever comes first (node:test may run a file's own root `before` hooks side by side with this one).
 * Fails loudly when the browser or the renderer build is missing (never skips).
 */
export function browserSuite(name: string): BrowserSuite {
  const dir = mkdtempSync(path.join(os.tmpdir(), `di-e2e-${name}-`));
  const state: { browser?: Browser; server?: { url: string; close: () => Promise<void> } } = {};
  let starting: Promise<void> | null = null;
  const start = (): Promise<void> =>
    (starting ??= (async () => {
      assertPrerequisites();
      state.server = await serveRenderer();
      state.browser = await launchBrowser();
    })());
  before(start);
  after(async () => {
    await starting?.catch(() => undefined);
    await state.browser?.close();
    await state.server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ready = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`browserSuite(${name}): ${what} used before the suite started`);
    return v;
  };
  return {
    dir,
    get browser() {
      return ready(state.browser, 'browser');
    },
    get url() {
      return ready(state.server, 'server').url;
    },
    open: async (opts) => {
      await start();
      return openApp(ready(state.browser, 'browser'), ready(state.server, 'server').url, opts);
    },
  };
}

export { digits, layoutOverflow, waitUntil } from './page-checks';
