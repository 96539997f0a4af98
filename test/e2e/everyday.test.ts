/**
 * Everyday use in the browser over the real engine: the grid opens newest first with the bounce
 * columns first, chips and fitted widths, and Reset layout returns there; the drilldown says how the
 * story ended; the import summary takes focus and closes on Escape; dialogs keep Tab inside and give
 * focus back. Screenshots of each go to test-output/e2e.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { writeFixture, type Fixture } from './fixtures';
import { browserSuite, waitUntil, type AppSession } from './harness';

const suite = browserSuite('everyday');

let dir: string;
let fx: Fixture;
let app: AppSession;

before(async () => {
  dir = suite.dir;
  fx = writeFixture(dir, 'october.csv', 1200, 31);
  app = await suite.open({ timezoneId: 'Europe/Berlin' });
  assert.ok((await app.table['import:start']({ jobId: 'seed', paths: [fx.path] })).ok);
  await app.page.reload();
});

after(async () => {
  await app?.close();
});

const utcMs = (text: string): number => Date.parse(`${text.replace(' ', 'T')}Z`);

/** Column ids of the header in screen order. */
async function headerOrder(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('.ag-header-cell[col-id]')]
    .map((el) => [Number(el.getAttribute('aria-colindex')), el.getAttribute('col-id')])
    .sort((a, b) => a[0] - b[0]).map((x) => x[1])`);
}

/** The app's own time format, in the page. */
function shownTime(page: Page, ms: number, zone: string): Promise<string> {
  return page.evaluate<string>(
    `new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
      minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: ${JSON.stringify(zone)} }).format(${ms})`,
  );
}

/** Widths fitted: the time, recipient and substatus cells on screen show their whole text. */
async function fitted(page: Page): Promise<void> {
  await waitUntil(async () => {
    const cut = await page.evaluate<number>(`[...document.querySelectorAll(
      '.ag-row .ag-cell[col-id="creation_time"], .ag-row .ag-cell[col-id="message_to"], .ag-row .ag-cell[col-id="substatus"]')]
      .filter((c) => c.scrollWidth > c.clientWidth + 1).length`);
    return cut === 0;
  });
}

test('the grid opens newest first with the sort shown, bounce columns first, chips and fitted widths', async () => {
  const { page } = app;
  const grid = page.getByTestId('grid');
  await grid.locator('.ag-row').first().waitFor();
  await waitUntil(async () => (await headerOrder(page)).length >= 6);
  const order = await headerOrder(page);
  assert.deepEqual(order.slice(0, 6), [
    'creation_time',
    'message_to',
    'status',
    'substatus',
    'status_details',
    'smtp_status_code',
  ]);
  const timeHeader = page.locator('.ag-header-cell[col-id="creation_time"]');
  assert.equal(await timeHeader.getAttribute('aria-sort'), 'descending');
  assert.equal(await timeHeader.locator('.ag-sort-descending-icon:not(.ag-hidden)').count(), 1);

  const newest = Math.max(...fx.rows.map((r) => utcMs(r[0] ?? '')));
  const firstTime = grid.locator('.ag-row[row-index="0"] .ag-cell[col-id="creation_time"]');
  await waitUntil(
    async () => (await firstTime.textContent()) === (await shownTime(page, newest, 'Europe/Berlin')),
  );

  const chip = grid.locator('.ag-row[row-index="0"] .ag-cell[col-id="status"] .chip');
  assert.match((await chip.getAttribute('class')) ?? '', /chip-(ok|bad)/);
  await fitted(page);
  await app.screenshot('grid-default-layout');
});

test('Reset layout in the Columns menu brings back the default order, sort and columns', async () => {
  const { page } = app;
  await page.reload();
  const grid = page.getByTestId('grid');
  await grid.locator('.ag-row').first().waitFor();
  // Sort by recipient and hide Status: a layout of the user's own, saved.
  await page.locator('.ag-header-cell[col-id="message_to"] .ag-header-cell-label').click();
  await page.getByRole('button', { name: 'Columns' }).click();
  const menu = page.getByRole('dialog', { name: 'Columns' });
  await menu.getByLabel('Status', { exact: true }).uncheck();
  await waitUntil(async () => !(await headerOrder(page)).includes('status'));
  assert.equal(
    await page.locator('.ag-header-cell[col-id="creation_time"]').getAttribute('aria-sort'),
    'none',
  );
  await menu.getByRole('button', { name: 'Reset layout' }).click();
  await waitUntil(
    async () => (await headerOrder(page)).slice(0, 3).join() === 'creation_time,message_to,status',
  );
  assert.equal(
    await page.locator('.ag-header-cell[col-id="creation_time"]').getAttribute('aria-sort'),
    'descending',
  );
  await fitted(page);
  await app.screenshot('grid-reset-layout');
  await page.keyboard.press('Escape');
});

test('the drilldown opens with one line saying how the story ended', async () => {
  const { page } = app;
  await page.reload();
  const row = page.getByTestId('grid').locator('.ag-row[row-index="0"]');
  await row.waitFor();
  await row.locator('.ag-cell[col-id="message_to"]').dblclick();
  const line = page.getByTestId('drilldown-summary');
  await line.waitFor();
  const id = (await page.getByTestId('drilldown').locator('.mono').first().textContent()) ?? '';
  const d = await app.table['correlation:get']({ correlationId: id });
  assert.ok(d.ok && d.value.summary);
  const s = d.value.summary;
  const text = (await line.textContent()) ?? '';
  assert.ok(text.startsWith(`Outcome: ${s.outcomeText} at `), text);
  assert.match(text, s.attempts > 1 ? new RegExp(`\\(${s.attempts} attempts`) : /first attempt/);
  await app.screenshot('drilldown-summary');
  await page.keyboard.press('Escape');
  await page.getByTestId('drilldown').waitFor({ state: 'detached' });
});

test('the import summary takes focus when progress turns into it, and Escape closes it', async () => {
  const { page } = app;
  const second = writeFixture(dir, 'november.csv', 150, 77);
  app.pickPaths = [second.path];
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByTestId('import-confirm').waitFor();
  await page.keyboard.press('Enter'); // the Import button has focus
  const summary = page.getByTestId('import-summary');
  await summary.waitFor({ timeout: 60_000 });
  await waitUntil(async () =>
    page.evaluate<boolean>(
      `document.querySelector('[data-testid="import-dialog"]').contains(document.activeElement)`,
    ),
  );
  await app.screenshot('import-summary-focused');
  await page.keyboard.press('Escape');
  await summary.waitFor({ state: 'detached' });
});

test('dialogs keep Tab inside, close on Escape from anywhere in them, and give focus back', async () => {
  const { page } = app;
  const exportButton = page.getByRole('button', { name: 'Export…' });
  await exportButton.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('export-dialog');
  await dialog.waitFor();
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press(i % 5 === 4 ? 'Shift+Tab' : 'Tab');
    assert.ok(
      await page.evaluate<boolean>(
        `document.querySelector('[data-testid="export-dialog"]').contains(document.activeElement)`,
      ),
      `focus left the dialog after ${i + 1} Tab presses`,
    );
  }
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await waitUntil(
    async () => (await page.evaluate<string>('document.activeElement?.textContent ?? ""')) === 'Export…',
  );
});
