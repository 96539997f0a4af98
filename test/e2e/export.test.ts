/**
 * Browser scenarios for getting data out: the export dialog states the row count first, writes the
 * filtered rows with the chosen delimiter, and offers "show in folder"; the window follows the OS
 * theme, toggles from the menu, and stays unbroken at 125 % zoom.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import Papa from 'papaparse';
import { COLUMNS } from '../../common/columns';
import { col, writeFixture, type Fixture } from './fixtures';
import { browserSuite, digits, waitUntil } from './harness';

const suite = browserSuite('exp');

let dir: string;
let fx: Fixture;

before(() => {
  dir = suite.dir;
  fx = writeFixture(dir, 'export-me.csv', 2000, 5);
});

test('export writes exactly the filtered rows with the chosen delimiter and offers show-in-folder', async () => {
  const app = await suite.open();
  try {
    assert.ok((await app.table['import:start']({ jobId: 'seed', paths: [fx.path] })).ok);
    const { page } = app;
    await page.reload();
    const box = page.getByRole('searchbox', { name: 'Search records' });
    await box.fill('status:ERROR');
    await box.press('Enter');
    const expected = fx.rows.filter((r) => r[col('status')] === 'ERROR').length;
    const count = page.getByTestId('match-count').locator('strong');
    await waitUntil(async () => (await count.count()) > 0 && digits(await count.textContent()) === expected);

    await page.keyboard.press('Control+e');
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    await waitUntil(async () => digits(await dialog.getByTestId('export-count').textContent()) === expected);
    await dialog.getByLabel(/Semicolon/).check();
    assert.ok(await dialog.getByLabel(/Formula guard/).isChecked(), 'the formula guard is on by default');
    await app.screenshot('export-dialog');
    await dialog.getByRole('button', { name: 'Choose file and export…' }).click();
    await dialog.getByTestId('export-done').waitFor({ timeout: 30_000 });
    await app.screenshot('export-done');

    // SMTP replies may span lines inside quotes, so count records with a CSV parser, not lines.
    const parsed = Papa.parse<string[]>(readFileSync(app.exportPath, 'utf8'), {
      delimiter: ';',
      skipEmptyLines: true,
    });
    assert.deepEqual(parsed.errors, []);
    const [header, ...records] = parsed.data;
    assert.deepEqual(
      header,
      COLUMNS.map((c) => c.header),
    );
    assert.equal(records.length, expected, 'one record per matching row');
    assert.ok(records.every((r) => r[col('status')] === 'ERROR'));
    await dialog.getByRole('button', { name: 'Show in folder' }).click();
    await waitUntil(() => Promise.resolve(app.shownInFolder.includes(app.exportPath)));
  } finally {
    await app.close();
  }
});

test('dark theme from the OS, toggled from the menu, unbroken at 125 % zoom without layout jumps', async () => {
  // 125 % zoom of a 1440x900 window: CSS pixels shrink to 1152x720 at device scale 1.25.
  const app = await suite.open({
    viewport: { width: 1152, height: 720 },
    scale: 1.25,
    colorScheme: 'dark',
  });
  try {
    const { page } = app;
    assert.ok((await app.table['import:start']({ jobId: 'seed', paths: [fx.path] })).ok);
    await page.reload();
    const grid = page.getByTestId('grid');
    await grid.waitFor();
    const before = await grid.boundingBox();
    await grid.locator('.ag-row').first().waitFor();
    await waitUntil(async () => (await page.getByTestId('match-count').locator('strong').count()) > 0);
    await page.locator('.facet li').first().waitFor();
    const afterLoad = await grid.boundingBox();
    assert.deepEqual(afterLoad, before, 'the grid does not move when data arrives');
    assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
    await app.screenshot('dark-zoom-125');

    await app.push('menu:command', { command: 'toggle-theme' });
    await waitUntil(async () => (await page.locator('html').getAttribute('data-theme')) === 'light');
    await app.screenshot('light-zoom-125');
  } finally {
    await app.close();
  }
});

test('a hidden column stays hidden after the window is reopened (layout saved per workspace)', async () => {
  const app = await suite.open();
  try {
    assert.ok((await app.table['import:start']({ jobId: 'seed', paths: [fx.path] })).ok);
    const { page } = app;
    await page.reload();
    await page.getByTestId('grid').locator('.ag-row').first().waitFor();
    // A column on the first screen: AG Grid renders only the columns in view.
    const usage = page.locator('.ag-header-cell[col-id="status_details"]');
    await usage.waitFor();
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('dialog', { name: 'Columns' }).getByLabel('Status Details').uncheck();
    await usage.waitFor({ state: 'detached' });
    await waitUntil(async () => {
      const saved = await app.table['settings:get']({ key: 'grid.columnState' });
      if (!saved.ok || !saved.value) return false;
      const state = JSON.parse(saved.value) as { colId: string; hide?: boolean }[];
      return state.some((c) => c.colId === 'status_details' && c.hide === true);
    });
    await page.reload();
    await page.getByTestId('grid').locator('.ag-row').first().waitFor();
    await page.locator('.ag-header-cell[col-id="message_to"]').waitFor();
    assert.equal(await usage.count(), 0, 'the column is still hidden');
  } finally {
    await app.close();
  }
});
