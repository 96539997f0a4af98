import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

/** The Electronegativity gate must bite: run scripts/electronegativity.mjs over small fake apps. */
const script = path.resolve(__dirname, '../../../scripts/electronegativity.mjs');

function scan(files: Record<string, string>): { status: number | null; out: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'di-eng-'));
  try {
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), content);
    }
    const r = spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8' });
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CSP_PAGE =
  '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'self\'">';
const GUARDS = `
app.on('web-contents-created', (_e, c) => {
  c.on('will-navigate', (e) => e.preventDefault());
  c.setWindowOpenHandler(() => ({ action: 'deny' }));
});
session.defaultSession.setPermissionRequestHandler((_w, _p, cb) => cb(false));
`;

test('an insecure window (no context isolation, no sandbox) fails the gate with a summary', () => {
  const r = scan({
    'main/index.js': `const { app, BrowserWindow, session } = require('electron');${GUARDS}
new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });`,
    'renderer/index.html': CSP_PAGE,
  });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /HIGH FIRM CONTEXT_ISOLATION_JS_CHECK main\/index.js/);
  assert.match(r.out, /SANDBOX_JS_CHECK/);
  assert.match(r.out, /electronegativity: FAILED/);
});

test('a locked-down window passes the gate', () => {
  const r = scan({
    'main/index.js': `const { app, BrowserWindow, session } = require('electron');${GUARDS}
new BrowserWindow({ webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, disableBlinkFeatures: 'Auxclick' } });`,
    'renderer/index.html': CSP_PAGE,
  });
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /0 finding\(s\) at MEDIUM or above/);
});
