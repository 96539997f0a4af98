/**
 * The packaged shape of the app, end to end in real Electron: launch, import a generated export
 * through window.api (dialogs stubbed in main), see rows in the grid, export, quit. Also probes the
 * security defaults from inside the page. Skips, saying why, where no Electron binary exists.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { _electron } from 'playwright-core';
import { generateRows, toCsv } from '../../bench/generate';
import type { Api } from '../../common/contract';
import { findElectronBinary, sqliteBuiltForNode } from './electron-binary';

const root = path.resolve(__dirname, '../../..');
const ROWS = 40;

test('Electron app: launch, import, see rows, export, quit', async (t) => {
  const binary = findElectronBinary();
  if ('missing' in binary) {
    t.skip(`Electron binary not installed here: ${binary.missing}`);
    return;
  }
  if (sqliteBuiltForNode()) {
    t.skip('better-sqlite3 is built for Node, not Electron: run `npm run test:electron`');
    return;
  }
  assert.ok(existsSync(path.join(root, 'dist/renderer/index.html')), 'renderer built (npm run build)');
  assert.ok(existsSync(path.join(root, 'dist/preload/bundle.js')), 'preload bundled (npm run build)');

  const dir = mkdtempSync(path.join(os.tmpdir(), 'di-electron-'));
  const csv = path.join(dir, 'export.csv');
  const out = path.join(dir, 'out.csv');
  writeFileSync(csv, toCsv([...generateRows({ rows: ROWS, seed: 3 })]));
  const app = await _electron.launch({
    executablePath: binary.path,
    args: [root, `--user-data-dir=${path.join(dir, 'user-data')}`],
    cwd: root,
    timeout: 60_000,
  });
  try {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    assert.match(page.url(), /^app:\/\/bundle\//, 'served from the app scheme, not file://');

    // Native dialogs cannot be clicked by a test: answer them in main.
    await app.evaluate(
      ({ dialog }, files) => {
        dialog.showOpenDialog = () => Promise.resolve({ canceled: false, filePaths: [files.csv] });
        dialog.showSaveDialog = () => Promise.resolve({ canceled: false, filePath: files.out });
      },
      { csv, out },
    );

    const probe = await page.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown>;
      return { require: typeof g.require, process: typeof g.process, api: typeof g.api };
    });
    assert.deepEqual(
      probe,
      { require: 'undefined', process: 'undefined', api: 'object' },
      'no Node in the page',
    );

    const imported = await page.evaluate(async () => {
      const api = (globalThis as unknown as { api: Api }).api;
      const picked = await api['import:pick']({});
      if (!picked.ok) return { error: picked.error.message };
      const r = await api['import:start']({ jobId: 'smoke-import', paths: picked.value });
      if (!r.ok) return { error: r.error.message };
      const page1 = await api['rows:page']({ filter: {}, sort: [], startRow: 0, endRow: 100 });
      return { files: r.value.files.length, rows: page1.ok ? page1.value.rows.length : -1 };
    });
    assert.deepEqual(imported, { files: 1, rows: ROWS });

    await page.reload();
    await page.locator('.ag-row').first().waitFor({ timeout: 30_000 });

    const exported = await page.evaluate(async () => {
      const api = (globalThis as unknown as { api: Api }).api;
      const forged = await api['export:start']({
        jobId: 'forged',
        path: '/tmp/not-chosen.csv',
        filter: {},
        sort: [],
        delimiter: ',',
        bom: false,
        formulaGuard: true,
      });
      const target = await api['export:pick']({ suggestedName: 'smoke' });
      if (!target.ok || target.value === null) return { error: 'no export path' };
      const r = await api['export:start']({
        jobId: 'smoke-export',
        path: target.value,
        filter: {},
        sort: [],
        delimiter: ',',
        bom: false,
        formulaGuard: true,
      });
      return {
        forged: forged.ok ? 'accepted' : forged.error.code,
        rowsWritten: r.ok ? r.value.rowsWritten : r.error.message,
      };
    });
    assert.deepEqual(exported, { forged: 'FORBIDDEN', rowsWritten: ROWS });
    const lines = readFileSync(out, 'utf8').trimEnd().split(/\r?\n/);
    assert.equal(lines.length, ROWS + 1, 'header plus every row');
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
