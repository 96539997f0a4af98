/**
 * The whole investigation without a mouse: import (Ctrl+O, Enter, Escape), search (Ctrl+F), a facet
 * pick (Tab, Enter), grid navigation (arrows), the drilldown (Enter, Escape back to the cell), export
 * (Ctrl+E, Tab, Enter) and a batch lookup (Ctrl+L, type, Tab, Enter). Only keyboard events reach the
 * page; controls are reached with Tab or the shortcuts the window shows, so one the keyboard cannot
 * reach fails the walk.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { col, writeFixture, type Fixture } from './fixtures';
import { browserSuite, digits, waitUntil } from './harness';

const suite = browserSuite('keys');

let dir: string;
let fx: Fixture;

before(() => {
  dir = suite.dir;
  fx = writeFixture(dir, 'october.csv', 900, 13);
});

/** Presses Tab (or Shift+Tab) until the focused element satisfies `is` (a JS expression over `el`). */
async function tabTo(
  page: Page,
  is: string,
  what: string,
  opts: { back?: boolean; max?: number } = {},
): Promise<void> {
  const max = opts.max ?? 120;
  for (let i = 0; i < max; i++) {
    if (
      await page.evaluate<boolean>(`(() => { const el = document.activeElement; return !!el && (${is}); })()`)
    )
      return;
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
  }
  const at = await page.evaluate<string>(
    `(() => { const el = document.activeElement; return el ? el.tagName + '.' + el.className + ' ' + (el.textContent ?? '').slice(0, 40) : 'nothing'; })()`,
  );
  assert.fail(`${what} not reached with ${max} ${opts.back ? 'Shift+Tab' : 'Tab'} presses (focus on ${at})`);
}

const focusInside = (page: Page, selector: string): Promise<boolean> =>
  page.evaluate<boolean>(
    `!!document.querySelector(${JSON.stringify(selector)})?.contains(document.activeElement)`,
  );

async function shownCount(page: Page): Promise<number> {
  const strong = page.getByTestId('match-count').locator('strong');
  return (await strong.count()) ? digits(await strong.textContent()) : -1;
}

test('import, search, facet, grid, drilldown, export and lookup from the keyboard alone', async () => {
  const app = await suite.open();
  try {
    const { page, exportPath } = app;
    const kb = page.keyboard;
    await page.getByTestId('empty-state').waitFor();

    // Import: Ctrl+O picks, Enter confirms, focus lands in the summary, Escape closes it.
    app.pickPaths = [fx.path];
    await kb.press('Control+o');
    await page.getByTestId('import-confirm').waitFor();
    await kb.press('Enter');
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
    await waitUntil(() => focusInside(page, '[data-testid="import-dialog"]'));
    await app.screenshot('keyboard-import-summary');
    await kb.press('Escape');
    await page.getByTestId('grid').locator('.ag-row').first().waitFor();

    // Search: Ctrl+F, type, Enter.
    const box = page.getByRole('searchbox', { name: 'Search records' });
    await kb.press('Control+f');
    await waitUntil(() =>
      page.evaluate<boolean>(`document.activeElement?.getAttribute('type') === 'search'`),
    );
    await kb.type('status:ERROR');
    await waitUntil(async () => (await box.inputValue()) === 'status:ERROR');
    await kb.press('Enter');
    const errors = fx.rows.filter((r) => r[col('status')] === 'ERROR');
    await waitUntil(async () => (await shownCount(page)) === errors.length, 60_000).catch(async () =>
      assert.fail(
        `"${await box.inputValue()}" shows ${await shownCount(page)} records, expected ${errors.length}`,
      ),
    );

    // Facet pick: Tab to the first region value, Enter.
    await tabTo(
      page,
      `el.closest('[data-facet="region"]') && el.tagName === 'BUTTON'`,
      'a region facet value',
    );
    const region = (
      await page.evaluate<string>(`document.activeElement.querySelector('.facet-label').textContent`)
    ).trim();
    await kb.press('Enter');
    const picked = errors.filter((r) => r[col('processing_region')] === region).length;
    assert.ok(picked > 0);
    await waitUntil(async () => (await shownCount(page)) === picked, 60_000);
    await app.screenshot('keyboard-facet');

    // Grid: Tab into the cells, arrows move, Enter opens the message.
    await tabTo(page, `!!el.closest('.ag-cell')`, 'a grid cell', { max: 200 });
    await kb.press('ArrowDown');
    await kb.press('ArrowRight');
    const rowIndex = await page.evaluate<string>(
      `document.activeElement.closest('.ag-row').getAttribute('row-index')`,
    );
    assert.equal(rowIndex, '1', 'ArrowDown moved to the second row');
    await kb.press('Enter');
    const drawer = page.getByTestId('drilldown');
    await drawer.getByTestId('drilldown-summary').waitFor();
    assert.ok(await focusInside(page, '[data-testid="drilldown"]'), 'focus moves into the drilldown');
    await app.screenshot('keyboard-drilldown');
    await kb.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await waitUntil(() =>
      page.evaluate<boolean>(`!!document.activeElement?.closest('.ag-row[row-index="1"]')`),
    );

    // Export: Ctrl+E, Tab to the button, Enter.
    await kb.press('Control+e');
    const dialog = page.getByTestId('export-dialog');
    await dialog.getByTestId('export-count').locator('strong').waitFor();
    await tabTo(page, `el.textContent === 'Choose file and export…'`, 'the export button');
    await kb.press('Enter');
    await dialog.getByTestId('export-done').waitFor({ timeout: 60_000 });
    const lines = readFileSync(exportPath, 'utf8').trimEnd().split('\r\n');
    assert.equal(lines.length, picked + 1, 'the header and every row of the filter');
    await kb.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Lookup: Ctrl+L, type, Tab to "Look up", Enter.
    await kb.press('Control+l');
    const lookup = page.getByTestId('lookup-dialog');
    await lookup.waitFor();
    const address = fx.rows[0]?.[col('message_to')] ?? '';
    await kb.type(address);
    await tabTo(page, `el.textContent === 'Look up'`, 'the Look up button');
    await kb.press('Enter');
    await lookup.locator('tbody tr').first().waitFor();
    assert.match(
      (await lookup.locator('tbody tr').first().textContent()) ?? '',
      new RegExp(address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    );
    await app.screenshot('keyboard-lookup');
    await kb.press('Escape');
    await lookup.waitFor({ state: 'detached' });
  } finally {
    await app.close();
  }
});
