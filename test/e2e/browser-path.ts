/**
 * Where the browser tests find a Chromium-family browser, as a pure function over an injected
 * environment (so every platform's rule is unit-tested on any machine). Order: CHROMIUM_PATH; Chromium,
 * Chrome or Edge at their standard install locations; Playwright's own browser cache. scripts/run-tests.mjs
 * and the e2e harness both use it, so the runner and the tests never disagree about the browser.
 */
import fs from 'node:fs';
import os from 'node:os';

export interface BrowserProbe {
  readonly platform: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  readonly exists: (file: string) => boolean;
  /** Entries of a folder, [] when it cannot be read. */
  readonly list: (dir: string) => readonly string[];
}

export type BrowserFound =
  | { readonly ok: true; readonly path: string; readonly source: 'CHROMIUM_PATH' | 'system' | 'playwright' }
  | { readonly ok: false; readonly reason: string; readonly tried: readonly string[] };

const LINUX = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/usr/bin/microsoft-edge',
  '/usr/bin/microsoft-edge-stable',
  '/opt/microsoft/msedge/msedge',
];

const MAC_APPS = [
  'Chromium.app/Contents/MacOS/Chromium',
  'Google Chrome.app/Contents/MacOS/Google Chrome',
  'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
];

const WIN_APPS = [
  'Chromium\\Application\\chrome.exe',
  'Google\\Chrome\\Application\\chrome.exe',
  'Microsoft\\Edge\\Application\\msedge.exe',
];

/** The executable inside one Playwright browser folder (chromium-1234 or chromium_headless_shell-1234). */
const PLAYWRIGHT_EXES: Readonly<Record<string, readonly string[]>> = {
  linux: [
    'chrome-linux64/chrome',
    'chrome-linux/chrome',
    'chrome-linux64/headless_shell',
    'chrome-headless-shell-linux64/chrome-headless-shell',
    'chrome-linux/headless_shell',
  ],
  darwin: [
    'chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    'chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    'chrome-mac/Chromium.app/Contents/MacOS/Chromium',
    'chrome-headless-shell-mac-arm64/chrome-headless-shell',
    'chrome-headless-shell-mac-x64/chrome-headless-shell',
    'chrome-mac/headless_shell',
  ],
  win32: [
    'chrome-win64\\chrome.exe',
    'chrome-win\\chrome.exe',
    'chrome-headless-shell-win64\\chrome-headless-shell.exe',
    'chrome-win\\headless_shell.exe',
  ],
};

function join(platform: string, ...parts: string[]): string {
  const sep = platform === 'win32' ? '\\' : '/';
  return parts
    .map((p, i) => (i === 0 ? p.replace(/[\\/]+$/, '') : p.replace(/^[\\/]+|[\\/]+$/g, '')))
    .join(sep);
}

function systemCandidates(p: BrowserProbe): string[] {
  if (p.platform === 'darwin')
    return MAC_APPS.flatMap((app) => [
      join(p.platform, '/Applications', app),
      join(p.platform, p.home, 'Applications', app),
    ]);
  if (p.platform === 'win32') {
    const roots = [p.env.PROGRAMFILES, p.env['PROGRAMFILES(X86)'], p.env.LOCALAPPDATA].filter(
      (r): r is string => typeof r === 'string' && r !== '',
    );
    return roots.flatMap((root) => WIN_APPS.map((app) => join(p.platform, root, app)));
  }
  return LINUX;
}

function playwrightCache(p: BrowserProbe): string {
  const own = p.env.PLAYWRIGHT_BROWSERS_PATH;
  if (own && own !== '0') return own;
  if (p.platform === 'darwin') return join(p.platform, p.home, 'Library/Caches/ms-playwright');
  if (p.platform === 'win32')
    return join(
      p.platform,
      p.env.LOCALAPPDATA ?? join(p.platform, p.home, 'AppData\\Local'),
      'ms-playwright',
    );
  return join(p.platform, p.env.XDG_CACHE_HOME || join(p.platform, p.home, '.cache'), 'ms-playwright');
}

/** Newest revision first; full Chromium before the headless shell of the same revision. */
function revisionOrder(a: string, b: string): number {
  const rev = (s: string): number => Number(/-(\d+)$/.exec(s)?.[1] ?? 0);
  const shell = (s: string): number => (s.includes('headless') ? 1 : 0);
  return rev(b) - rev(a) || shell(a) - shell(b);
}

function playwrightCandidates(p: BrowserProbe): string[] {
  const cache = playwrightCache(p);
  const exes = PLAYWRIGHT_EXES[p.platform] ?? PLAYWRIGHT_EXES.linux ?? [];
  return p
    .list(cache)
    .filter((d) => /^chromium(_headless_shell)?-\d+$/.test(d))
    .sort(revisionOrder)
    .flatMap((d) => exes.map((exe) => join(p.platform, cache, d, exe)));
}

/** How to get a browser, in one line, for the platform the tests run on. */
export function browserHint(platform: string): string {
  const how =
    platform === 'darwin'
      ? 'install Chromium or Google Chrome into /Applications'
      : platform === 'win32'
        ? 'install Google Chrome or Microsoft Edge'
        : 'install one (Debian/Ubuntu: sudo apt-get install -y chromium)';
  return `No Chromium, Chrome or Edge found for the browser tests: ${how}, or run "npx playwright-core install chromium", or set CHROMIUM_PATH to a Chromium-family executable.`;
}

export function findBrowser(p: BrowserProbe): BrowserFound {
  const set = p.env.CHROMIUM_PATH;
  if (set !== undefined && set !== '') {
    if (p.exists(set)) return { ok: true, path: set, source: 'CHROMIUM_PATH' };
    // A path the user set and got wrong is their mistake to hear about, not a reason to use another browser.
    return { ok: false, reason: `CHROMIUM_PATH is set to ${set}, which does not exist.`, tried: [set] };
  }
  const tried: string[] = [];
  for (const file of systemCandidates(p)) {
    tried.push(file);
    if (p.exists(file)) return { ok: true, path: file, source: 'system' };
  }
  for (const file of playwrightCandidates(p)) {
    tried.push(file);
    if (p.exists(file)) return { ok: true, path: file, source: 'playwright' };
  }
  return { ok: false, reason: browserHint(p.platform), tried };
}

/** The probe over this machine. */
export function machineProbe(): BrowserProbe {
  return {
    platform: process.platform,
    env: process.env,
    home: os.homedir(),
    exists: (f) => {
      try {
        return fs.statSync(f).isFile();
      } catch {
        return false;
      }
    },
    list: (d) => {
      try {
        return fs.readdirSync(d);
      } catch {
        return [];
      }
    },
  };
}
