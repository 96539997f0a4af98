/**
 * Browser scenarios for getting data in: the empty state, importing two files (one with bad rows)
 * and reading the summary, viewing the rejected rows, and cancelling a large import.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';
import { writeExport } from '../../bench/generate';
import { writeFixture, writeFixtureWithBadRows } from './fixtures';
import { browserSuite, digits, waitUntil } from './harness';

const suite = browserSuite('fx');

let dir: string;

before(() => {
  dir = suite.dir;
});

test('importing an export and one with bad rows shows a summary with the rejected rows', async () => {
  const good = writeFixture(dir, 'october.csv', 1500);
  const bad = writeFixtureWithBadRows(dir, 'with-bad-rows.csv', 300);
  const app = await suite.open();
  try {
    const { page } = app;
    await page.getByTestId('empty-state').waitFor();
    await app.screenshot('empty-state');

    app.pickPaths = [good.path, bad.path];
    await page.getByRole('button', { name: 'Import files…' }).click();
    await page.getByTestId('import-confirm').getByRole('button', { name: 'Import', exact: true }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 60_000 });
    const files = summary.getByTestId('file-summary');
    assert.equal(await files.count(), 2);
    assert.equal(digits(await files.nth(0).getByTestId('imported').textContent()), good.rows.length);
    assert.equal(digits(await files.nth(0).getByTestId('rejected').textContent()), 0);
    assert.equal(digits(await files.nth(1).getByTestId('imported').textContent()), bad.rows.length);
    assert.equal(digits(await files.nth(1).getByTestId('rejected').textContent()), bad.bad);
    assert.match((await summary.textContent()) ?? '', /Detected: Comma \(,\)/);
    await app.screenshot('import-summary');

    await files
      .nth(1)
      .getByRole('button', { name: /View 2 rejected rows/ })
      .click();
    const rejected = page.getByTestId('rejected-rows');
    await rejected.waitFor();
    const text = (await rejected.textContent()) ?? '';
    assert.match(text, /only,three,fields/, 'the raw text of a rejected row is shown');
    assert.match(text, /not-a-date/);
    await app.screenshot('import-rejected-rows');

    await page.getByRole('button', { name: 'Show records' }).click();
    await page.getByTestId('grid').locator('.ag-row').first().waitFor();
    const total = good.rows.length + bad.rows.length;
    await page.getByTestId('match-count').getByText(new Intl.NumberFormat().format(total)).first().waitFor();
    await app.screenshot('grid-after-import');
  } finally {
    await app.close();
  }
});

test('cancelling a large import stops it and says so', async () => {
  const big = path.join(dir, 'big.csv');
  await writeExport(big, { rows: 300_000, seed: 3 });
  const app = await suite.open();
  try {
    const { page } = app;
    app.pickPaths = [big];
    await page.getByRole('button', { name: 'Import files…' }).click();
    await page.getByTestId('import-confirm').getByRole('button', { name: 'Import', exact: true }).click();
    const progress = page.getByTestId('import-progress');
    await progress.waitFor();
    // Wait until rows are actually flowing, then cancel mid-file.
    const stats = progress.locator('.file-progress-stats').first();
    await waitUntil(async () => /[1-9][\d,.\s]* rows/.test((await stats.textContent()) ?? ''), 60_000);
    await app.screenshot('import-progress');
    await progress.getByRole('button', { name: 'Cancel import' }).click();
    const dialog = page.getByTestId('import-dialog');
    await dialog
      .getByText(/cancelled/i)
      .first()
      .waitFor({ timeout: 60_000 });
    await app.screenshot('import-cancelled');
    const count = await app.table['rows:count']({ filter: {} });
    assert.ok(count.ok);
    assert.ok(
      count.value < 300_000,
      `a cancelled import must not store the whole file (stored ${count.value})`,
    );
  } finally {
    await app.close();
  }
});

test('files dropped on the window (files:opened) are imported, and a wrong delimiter can be overridden', async () => {
  const fx = writeFixture(dir, 'dropped.csv', 400, 9);
  const app = await suite.open();
  try {
    const { page } = app;
    await page.getByTestId('empty-state').waitFor();
    await app.push('files:opened', { paths: [fx.path] });
    await page.getByTestId('import-confirm').getByRole('button', { name: 'Import', exact: true }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 60_000 });
    assert.equal(digits(await summary.getByTestId('imported').textContent()), fx.rows.length);

    // Re-importing with a delimiter the file does not use stores nothing, and says why in words.
    await summary.getByRole('button', { name: 'Wrong delimiter, encoding or time zone?' }).click();
    await summary.getByLabel('Delimiter').selectOption(';');
    await app.screenshot('import-override');
    await summary.getByRole('button', { name: 'Replace import #1' }).click();
    const again = page.getByTestId('import-summary');
    await again.waitFor({ timeout: 60_000 });
    await waitUntil(async () => /not a Retarus delivery export/.test((await again.textContent()) ?? ''));
    assert.match((await again.textContent()) ?? '', /0 records imported/);
    assert.match((await again.textContent()) ?? '', /Read as: Semicolon/);
    await app.screenshot('import-override-result');
  } finally {
    await app.close();
  }
});
