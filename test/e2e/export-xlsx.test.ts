/**
 * Browser scenarios for Excel: importing a workbook written by another tool shows which sheets were
 * read; the export dialog offers .xlsx beside CSV, hides the CSV-only choices for it, and the file
 * written holds the filtered rows (read back by the engine's importer).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { openDatabase } from '../../main/engine/db/open';
import { runImport } from '../../main/engine/import/importer';
import { col, writeFixture, type Fixture } from './fixtures';
import { browserSuite, digits, waitUntil } from './harness';

const suite = browserSuite('xlsx');

let dir: string;
let fx: Fixture;

before(() => {
  dir = suite.dir;
  fx = writeFixture(dir, 'export-me.csv', 500, 8);
});

test('importing a workbook shows the sheets imported and the one left out', async () => {
  const sample = path.join(
    __dirname,
    '..',
    '..',
    '..',
    'test',
    'fixtures',
    'xlsx',
    'delivery-report-shared-strings.xlsx',
  );
  const app = await suite.open();
  try {
    const { page } = app;
    await page.getByTestId('empty-state').waitFor();
    app.pickPaths = [sample];
    await page.getByRole('button', { name: 'Import files…' }).click();
    await page.getByTestId('import-confirm').getByRole('button', { name: 'Import', exact: true }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 60_000 });
    assert.equal(digits(await summary.getByTestId('imported').textContent()), 200);
    const sheets = (await summary.getByTestId('sheets').textContent()) ?? '';
    assert.match(sheets, /sheets imported: Delivery report/);
    assert.match(sheets, /not imported: "Info"/);
    assert.equal(
      await summary.getByRole('button', { name: 'Wrong delimiter, encoding or time zone?' }).count(),
      0,
    );
  } finally {
    await app.close();
  }
});

test('the export dialog writes the filtered rows as an Excel workbook', async () => {
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
    await dialog.getByLabel(/Excel workbook/).check();
    await dialog.getByRole('heading', { name: 'Export rows to Excel' }).waitFor();
    assert.equal(await dialog.getByLabel(/Semicolon/).count(), 0, 'no delimiter choice for .xlsx');
    app.exportPath = path.join(app.dir, 'errors.xlsx');
    await dialog.getByRole('button', { name: 'Choose file and export…' }).click();
    await dialog.getByTestId('export-done').waitFor({ timeout: 30_000 });
    assert.equal(readFileSync(app.exportPath).subarray(0, 2).toString('latin1'), 'PK');

    const check = openDatabase(path.join(app.dir, 'check.sqlite'));
    try {
      const r = await runImport(
        check,
        { jobId: 'c', paths: [app.exportPath] },
        { signal: new AbortController().signal, onProgress: () => undefined },
      );
      assert.equal(r.files[0].imported, expected);
      const statuses = check.prepare('SELECT DISTINCT status FROM records').pluck().all();
      assert.deepEqual(statuses, ['ERROR']);
    } finally {
      check.close();
    }
  } finally {
    await app.close();
  }
});
