import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

/** Architecture rules of the shell, checked on the sources so a regression fails the suite. */
const root = path.resolve(__dirname, '../../..');

function sources(dir: string, out: string[] = []): string[] {
  const full = path.join(root, dir);
  for (const name of readdirSync(full)) {
    const rel = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(path.join(root, rel)).isDirectory()) sources(rel, out);
    else if (/\.(ts|tsx|mjs|js)$/.test(name)) out.push(rel);
  }
  return out;
}

const all = ['main', 'preload', 'common', 'renderer'].flatMap((d) => sources(d));
const text = (rel: string): string => readFileSync(path.join(root, rel), 'utf8');
/** A runtime import of electron (type-only imports are erased and allowed anywhere in main/). */
const RUNTIME_ELECTRON = /^import\s+(?!type\s)[^;]*from\s+'electron';|require\('electron'\)/m;

test('only the shell (main/shell) and preload/index.ts load electron at runtime', () => {
  const importers = all.filter((f) => RUNTIME_ELECTRON.test(text(f)));
  assert.ok(importers.length > 0, 'the pattern finds the shell itself');
  for (const f of importers)
    assert.ok(f.startsWith(path.join('main', 'shell')) || f === path.join('preload', 'index.ts'), f);
});

test('the plain shell modules (tested under Node) do not load electron', () => {
  const wiring = ['index.ts', 'window.ts', 'security.ts', 'ipc.ts', 'dialogs.ts', 'report-pdf.ts'].map((f) =>
    path.join('main', 'shell', f),
  );
  for (const f of all.filter((x) => x.startsWith(path.join('main', 'shell')) && !wiring.includes(x)))
    assert.ok(!RUNTIME_ELECTRON.test(text(f)), `${f} must stay free of electron`);
});

test('nothing opens external links or hands ipcRenderer to the page', () => {
  for (const f of all) {
    const src = text(f);
    assert.ok(!/\bopenExternal\s*\(/.test(src), `${f} calls shell.openExternal`);
    if (src.includes('exposeInMainWorld'))
      assert.ok(!/exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/.test(src), `${f} exposes ipcRenderer`);
  }
  const preload = text(path.join('preload', 'index.ts'));
  assert.equal(preload.match(/exposeInMainWorld\(/g)?.length, 1, 'one object is exposed: window.api');
});
