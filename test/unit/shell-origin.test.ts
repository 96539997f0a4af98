import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { PathGrants, pathKey } from '../../main/shell/grants';
import {
  APP_ENTRY_URL,
  isAllowedPermission,
  isAllowedRequestUrl,
  isAppUrl,
  isTrustedSender,
} from '../../main/shell/origin';

test('only the app bundle origin counts as the app', () => {
  assert.equal(isAppUrl(APP_ENTRY_URL), true);
  assert.equal(isAppUrl('app://bundle/assets/index-abc.js'), true);
  for (const url of [
    'app://evil/index.html',
    'app://bundle.evil.com/index.html',
    'https://bundle/index.html',
    'file:///app/dist/renderer/index.html',
    'http://localhost:5173/',
    'devtools://devtools/bundled/inspector.html',
    '',
    'not a url',
    null,
    undefined,
  ])
    assert.equal(isAppUrl(url), false, String(url));
});

test('IPC is answered only for the app window top frame on the app origin', () => {
  const ok = { frameUrl: APP_ENTRY_URL, isMainFrame: true, fromAppWindow: true };
  assert.equal(isTrustedSender(ok), true);
  assert.equal(isTrustedSender({ ...ok, isMainFrame: false }), false, 'iframes are refused');
  assert.equal(isTrustedSender({ ...ok, fromAppWindow: false }), false, 'other web contents are refused');
  assert.equal(isTrustedSender({ ...ok, frameUrl: 'https://example.com/' }), false);
  assert.equal(isTrustedSender({ ...ok, frameUrl: null }), false, 'a destroyed frame is refused');
});

test('no network: only app:// and data: requests load', () => {
  assert.equal(isAllowedRequestUrl('app://bundle/assets/x.css'), true);
  assert.equal(isAllowedRequestUrl('data:image/svg+xml;base64,PHN2Zz4='), true);
  for (const url of [
    'https://fonts.googleapis.com/css2?family=Inter',
    'http://127.0.0.1:8080/',
    'ws://localhost/',
    'file:///etc/passwd',
    'app://elsewhere/x.js',
    'blob:app://bundle/123',
  ])
    assert.equal(isAllowedRequestUrl(url), false, url);
});

test('permissions: only sanitized clipboard writes from the app page', () => {
  assert.equal(isAllowedPermission('clipboard-sanitized-write', APP_ENTRY_URL), true);
  assert.equal(isAllowedPermission('clipboard-sanitized-write', 'https://evil.example/'), false);
  for (const p of ['clipboard-read', 'media', 'notifications', 'geolocation', 'openExternal', 'fullscreen'])
    assert.equal(isAllowedPermission(p, APP_ENTRY_URL), false, p);
});

test('path grants: only granted absolute paths of the right kind pass', () => {
  const grants = new PathGrants('linux');
  const file = path.resolve('/data/exports/a.csv');
  grants.grant('import', [file]);
  assert.equal(grants.has('import', file), true);
  assert.equal(grants.has('import', '/data/exports/../exports/a.csv'), true, 'normalised');
  assert.equal(grants.has('export', file), false, 'a file granted for reading is not granted for writing');
  assert.equal(grants.has('import', 'a.csv'), false, 'relative paths never match');
  assert.equal(grants.has('import', '/data/exports/A.csv'), false, 'case matters on Linux');
  assert.equal(grants.firstUngranted('import', [file, '/etc/passwd']), '/etc/passwd');
  assert.equal(grants.firstUngranted('import', [file]), null);
});

test('path grants ignore case where the file system does', () => {
  const grants = new PathGrants('darwin');
  grants.grant('export', ['/Users/Ann/Out.csv']);
  assert.equal(grants.has('export', '/users/ann/out.csv'), true);
  assert.equal(pathKey('/A/b', 'win32'), pathKey('/a/B', 'win32'));
});
