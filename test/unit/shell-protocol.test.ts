import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CONTENT_SECURITY_POLICY, createBundleHandler, resolveBundlePath } from '../../main/shell/protocol';

let root: string;
let outside: string;

before(() => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'di-shell-proto-'));
  root = path.join(base, 'renderer');
  outside = path.join(base, 'secret.txt');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(outside, 'top secret');
});

after(() => rmSync(path.dirname(root), { recursive: true, force: true }));

test('bundle URLs map into the renderer folder, / to index.html', () => {
  assert.equal(resolveBundlePath(root, 'app://bundle/'), path.join(root, 'index.html'));
  assert.equal(
    resolveBundlePath(root, 'app://bundle/assets/app.js?v=1#x'),
    path.join(root, 'assets', 'app.js'),
  );
  assert.equal(resolveBundlePath(root, 'app://bundle/assets/a%20b.js'), path.join(root, 'assets', 'a b.js'));
});

test('path traversal never leaves the renderer folder; foreign hosts are refused', () => {
  // The URL parser already folds dot segments (also percent-encoded ones) into the root.
  for (const url of [
    'app://bundle/../secret.txt',
    'app://bundle/%2e%2e/secret.txt',
    'app://bundle/a/../../secret.txt',
  ]) {
    const resolved = resolveBundlePath(root, url);
    assert.ok(resolved === null || resolved.startsWith(root + path.sep), `${url} -> ${resolved}`);
    assert.notEqual(resolved, outside);
  }
  for (const url of [
    'app://bundle/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://bundle/..%5csecret.txt',
    'app://bundle/assets/%00.js',
    'app://bundle/%E0%A4%A',
    'app://other/index.html',
    'file:///etc/passwd',
  ])
    assert.equal(resolveBundlePath(root, url), null, url);
});

test('served files carry the strict CSP and the right type', async () => {
  const handle = createBundleHandler(root);
  const res = await handle(new Request('app://bundle/assets/app.js'));
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'console.log(1)');
  assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(res.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const html = await handle(new Request('app://bundle/'));
  assert.equal(html.headers.get('content-type'), 'text/html; charset=utf-8');
});

test('the CSP forbids network, remote scripts, eval, framing and base/form tricks', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), ["'self'"], 'no unsafe-eval, no unsafe-inline scripts');
  assert.deepEqual(directives.get('connect-src'), ["'none'"]);
  assert.deepEqual(directives.get('base-uri'), ["'none'"]);
  assert.deepEqual(directives.get('form-action'), ["'none'"]);
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
  for (const values of directives.values())
    for (const v of values) assert.ok(!/^https?:|^\*$|^ws/.test(v), `no remote source: ${v}`);
});

test('missing files, folders, traversal and non-GET requests get errors, never content', async () => {
  const handle = createBundleHandler(root);
  assert.equal((await handle(new Request('app://bundle/nope.js'))).status, 404);
  assert.equal((await handle(new Request('app://bundle/assets'))).status, 404);
  for (const url of ['app://bundle/%2e%2e/secret.txt', 'app://bundle/assets/%2e%2e%2f%2e%2e%2fsecret.txt']) {
    const res = await handle(new Request(url));
    assert.ok(res.status === 403 || res.status === 404, `${url}: ${res.status}`);
    assert.ok(!(await res.text()).includes('top secret'));
  }
  assert.equal(
    (await handle(new Request('app://bundle/index.html', { method: 'POST', body: 'x' }))).status,
    405,
  );
});
