/**
 * Accessibility of every main screen and dialog, light and dark: axe-core finds no serious or critical
 * WCAG 2.1 A/AA violation. Starts from a fresh profile (first start: empty workspace) and imports
 * through the UI, so the import dialogs are checked too. Screenshots of each screen go to test-output.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { assertAccessible } from './a11y';
import { writeFixture, writeFixtureWithBadRows, type Fixture } from './fixtures';
import { browserSuite } from './harness';

const suite = browserSuite('a11y');

let dir: string;
let fx: Fixture;
let bad: Fixture;

before(() => {
  dir = suite.dir;
  fx = writeFixture(dir, 'october.csv', 800, 5);
  bad = writeFixtureWithBadRows(dir, 'with-bad-rows.csv', 100);
});

for (const theme of ['light', 'dark'] as const) {
  test(`every screen and dialog passes axe (${theme})`, async () => {
    const app = await suite.open({ colorScheme: theme });
    try {
      const { page } = app;
      const check = async (name: string, within?: string): Promise<void> => {
        await app.screenshot(`a11y-${theme}-${name}`);
        await assertAccessible(page, `${name} (${theme})`, within);
      };
      assert.equal(await page.evaluate('document.documentElement.dataset.theme'), theme);
      // First start on a fresh profile: the empty workspace.
      await page.getByTestId('empty-state').waitFor();
      await check('first-start');

      app.pickPaths = [fx.path, bad.path];
      await page.getByRole('button', { name: 'Import files…' }).click();
      await page.getByTestId('import-confirm').waitFor();
      await check('import-confirm', '[data-testid="import-dialog"]');
      await page.getByTestId('import-confirm').getByRole('button', { name: 'Import', exact: true }).click();
      const summary = page.getByTestId('import-summary');
      await summary.waitFor({ timeout: 60_000 });
      await summary.getByRole('button', { name: /View 2 rejected rows/ }).click();
      await page.getByTestId('rejected-rows').waitFor();
      await summary.getByRole('button', { name: 'Wrong delimiter, encoding or time zone?' }).first().click();
      await check('import-summary', '[data-testid="import-dialog"]');
      await page.keyboard.press('Escape');
      await summary.waitFor({ state: 'detached' });

      const grid = page.getByTestId('grid');
      await grid.locator('.ag-row').first().waitFor();
      await page.getByTestId('histogram').waitFor();
      await check('main');

      await grid.locator('.ag-row').first().dblclick();
      await page.getByTestId('drilldown-summary').waitFor();
      await check('drilldown', '[data-testid="drilldown"]');
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Export…' }).click();
      await page.getByTestId('export-count').locator('strong').waitFor();
      await check('export-dialog', '[data-testid="export-dialog"]');
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Lookup…' }).click();
      await page.getByLabel('Paste recipient addresses, one per line').fill(String(fx.rows[0]?.[2] ?? ''));
      await page
        .getByTestId('lookup-dialog')
        .getByRole('button', { name: /^Look up/ })
        .click();
      await page.getByTestId('lookup-dialog').locator('tbody tr').first().waitFor();
      await check('lookup-dialog', '[data-testid="lookup-dialog"]');
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'History' }).click();
      await page.getByRole('dialog', { name: 'Import history' }).locator('tbody tr').first().waitFor();
      await check('history-dialog', '.dialog');
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Columns' }).click();
      await page.getByRole('dialog', { name: 'Columns' }).waitFor();
      await check('columns-menu', '.columns-menu');
    } finally {
      await app.close();
    }
  });
}
