/** Which browser the e2e tests use on each platform, over a fake file system: order, cache, failure line. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserHint, findBrowser, type BrowserProbe } from '../e2e/browser-path';

function probe(
  platform: string,
  files: readonly string[],
  env: Record<string, string> = {},
  dirs: Record<string, readonly string[]> = {},
  home = platform === 'win32' ? 'C:\\Users\\ann' : platform === 'darwin' ? '/Users/ann' : '/home/ann',
): BrowserProbe {
  const set = new Set(files);
  return { platform, env, home, exists: (f) => set.has(f), list: (d) => dirs[d] ?? [] };
}

test('CHROMIUM_PATH wins over every installed browser', () => {
  const found = findBrowser(
    probe('linux', ['/usr/bin/chromium', '/opt/x/chrome'], { CHROMIUM_PATH: '/opt/x/chrome' }),
  );
  assert.deepEqual(found, { ok: true, path: '/opt/x/chrome', source: 'CHROMIUM_PATH' });
});

test('a CHROMIUM_PATH that does not exist fails with that path instead of quietly using another browser', () => {
  const found = findBrowser(probe('linux', ['/usr/bin/chromium'], { CHROMIUM_PATH: '/nope/chrome' }));
  assert.equal(found.ok, false);
  assert.match(found.ok ? '' : found.reason, /CHROMIUM_PATH is set to \/nope\/chrome/);
});

test('Linux: Debian Chromium before Chrome before Edge', () => {
  const all = ['/usr/bin/microsoft-edge', '/usr/bin/google-chrome', '/usr/bin/chromium'];
  assert.deepEqual(findBrowser(probe('linux', all)), {
    ok: true,
    path: '/usr/bin/chromium',
    source: 'system',
  });
  const noChromium = all.filter((f) => !f.endsWith('chromium'));
  const found = findBrowser(probe('linux', noChromium));
  assert.deepEqual(found, { ok: true, path: '/usr/bin/google-chrome', source: 'system' });
  assert.deepEqual(findBrowser(probe('linux', ['/usr/bin/microsoft-edge'])), {
    ok: true,
    path: '/usr/bin/microsoft-edge',
    source: 'system',
  });
});

test('macOS: applications in /Applications or ~/Applications', () => {
  const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
  assert.deepEqual(findBrowser(probe('darwin', [chrome])), { ok: true, path: chrome, source: 'system' });
  const edge = '/Users/ann/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge';
  assert.deepEqual(findBrowser(probe('darwin', [edge])), { ok: true, path: edge, source: 'system' });
});

test('Windows: Program Files and the per-user LocalAppData install', () => {
  const env = { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' };
  const edge = 'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe';
  assert.deepEqual(findBrowser(probe('win32', [edge], env)), { ok: true, path: edge, source: 'system' });
  const userChrome = 'C:\\Users\\ann\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe';
  assert.deepEqual(findBrowser(probe('win32', [userChrome, edge], env)).ok, true);
  // Program Files comes first: the machine-wide Edge is chosen over the per-user Chrome.
  const both = findBrowser(probe('win32', [userChrome, edge], env));
  assert.equal(both.ok && both.path, edge);
});

test("Playwright's cache is used when nothing is installed, newest revision first", () => {
  const cache = '/home/ann/.cache/ms-playwright';
  const old = `${cache}/chromium-1100/chrome-linux/chrome`;
  const newer = `${cache}/chromium-1200/chrome-linux64/chrome`;
  const found = findBrowser(
    probe('linux', [old, newer], {}, { [cache]: ['ffmpeg-1010', 'chromium-1100', 'chromium-1200'] }),
  );
  assert.deepEqual(found, { ok: true, path: newer, source: 'playwright' });
});

test('PLAYWRIGHT_BROWSERS_PATH and the Windows cache folder are honoured', () => {
  const custom = '/srv/pw';
  const exe = `${custom}/chromium_headless_shell-1200/chrome-linux/headless_shell`;
  const found = findBrowser(
    probe(
      'linux',
      [exe],
      { PLAYWRIGHT_BROWSERS_PATH: custom },
      { [custom]: ['chromium_headless_shell-1200'] },
    ),
  );
  assert.deepEqual(found, { ok: true, path: exe, source: 'playwright' });
  const local = 'C:\\Users\\ann\\AppData\\Local';
  const winExe = `${local}\\ms-playwright\\chromium-1200\\chrome-win64\\chrome.exe`;
  const win = findBrowser(
    probe('win32', [winExe], { LOCALAPPDATA: local }, { [`${local}\\ms-playwright`]: ['chromium-1200'] }),
  );
  assert.deepEqual(win, { ok: true, path: winExe, source: 'playwright' });
});

test('an installed browser beats the Playwright cache', () => {
  const cache = '/home/ann/.cache/ms-playwright';
  const pw = `${cache}/chromium-1200/chrome-linux64/chrome`;
  const found = findBrowser(
    probe('linux', [pw, '/usr/bin/google-chrome'], {}, { [cache]: ['chromium-1200'] }),
  );
  assert.equal(found.ok && found.source, 'system');
});

test('nothing found: one line that says how to get a browser, and every place that was looked at', () => {
  const found = findBrowser(probe('linux', []));
  assert.equal(found.ok, false);
  if (found.ok) return;
  assert.equal(found.reason, browserHint('linux'));
  assert.doesNotMatch(found.reason, /\n/);
  assert.match(found.reason, /apt-get install -y chromium/);
  assert.match(found.reason, /CHROMIUM_PATH/);
  assert.ok(found.tried.includes('/usr/bin/chromium'));
  assert.match(browserHint('darwin'), /Applications/);
  assert.match(browserHint('win32'), /Edge/);
});
