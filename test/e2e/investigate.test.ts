/**
 * Browser scenarios for finding things in an imported workspace: search syntax with its count and an
 * inline syntax error, facet filter and exclude, histogram brush, drilldown with the SMTP explanation,
 * batch lookup. Counts shown are checked against a brute-force count over the generated rows.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import type { Page } from 'playwright-core';
import { toCsv } from '../../bench/generate';
import { col, writeFixture, type Fixture } from './fixtures';
import { browserSuite, digits, waitUntil, type AppSession } from './harness';

const suite = browserSuite('inv');

let dir: string;
let fx: Fixture;
let app: AppSession;

before(async () => {
  dir = suite.dir;
  fx = writeFixture(dir, 'october.csv', 3000, 21);
  app = await suite.open();
  const imported = await app.table['import:start']({ jobId: 'seed', paths: [fx.path] });
  assert.ok(imported.ok, 'the fixture imports');
});

after(async () => {
  await app?.close();
});

beforeEach(async () => {
  // Every scenario starts from a freshly loaded window over the same workspace.
  await app.page.reload();
  await app.page.getByTestId('grid').locator('.ag-row').first().waitFor();
});

const where = (pred: (r: readonly string[]) => boolean): number => fx.rows.filter(pred).length;

async function shownCount(page: Page): Promise<number> {
  const strong = page.getByTestId('match-count').locator('strong');
  return (await strong.count()) ? digits(await strong.textContent()) : -1;
}

async function expectCount(page: Page, expected: number): Promise<void> {
  await waitUntil(async () => (await shownCount(page)) === expected, 20_000).catch(async () => {
    assert.fail(`match count shows ${await shownCount(page)}, expected ${expected}`);
  });
}

async function search(page: Page, q: string): Promise<void> {
  const box = page.getByRole('searchbox', { name: 'Search records' });
  await box.fill(q);
  await box.press('Enter');
}

test('search syntax narrows the grid and the count matches the data', async () => {
  const { page } = app;
  await expectCount(page, fx.rows.length);
  await page.keyboard.press('Control+f');
  await search(page, 'status:ERROR region:DE1');
  const expected = where((r) => r[col('status')] === 'ERROR' && r[col('processing_region')] === 'DE1');
  assert.ok(expected > 0);
  await expectCount(page, expected);
  const firstStatus = page.locator('.ag-row[row-index="0"] [col-id="status"]');
  await waitUntil(async () => ((await firstStatus.textContent()) ?? '').includes('ERROR'));
  await app.screenshot('search-syntax');
});

test('a search asks for its first page once, ahead of the count, facets and histogram', async () => {
  const { page } = app;
  const from = app.calls.length;
  await search(page, 'details:SOFT_BOUNCE');
  const expected = where((r) => r[col('status_details')] === 'SOFT_BOUNCE');
  assert.ok(expected > 0);
  await expectCount(page, expected);
  const firstDetails = page.locator('.ag-row[row-index="0"] [col-id="status_details"]');
  await waitUntil(async () => ((await firstDetails.textContent()) ?? '').includes('SOFT_BOUNCE'));
  const sent = app.calls
    .slice(from)
    .filter((c) => ['rows:page', 'rows:count', 'facets:get', 'histogram:get'].includes(c));
  // The grid's own request would come after its render of the new datasource: the rows then waited
  // behind the other three. Sent ahead, and used: one page request, first.
  assert.deepEqual(
    sent.filter((c) => c === 'rows:page'),
    ['rows:page'],
  );
  assert.equal(sent[0], 'rows:page', `requests in order: ${sent.join(', ')}`);
});

test('a malformed search term gets an inline error pointing at it', async () => {
  const { page } = app;
  await search(page, 'status:ERROR colour:blue');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const marked = (await alert.locator('mark').textContent()) ?? '';
  assert.ok(marked.startsWith('colour') && 'colour:blue'.startsWith(marked), `marked "${marked}"`);
  assert.match((await alert.textContent()) ?? '', /colour/);
  // Nothing is being counted for a search that was not run (it said "counting…" for good).
  assert.equal(await page.getByTestId('match-count').textContent(), 'search not run');
  await app.screenshot('search-error');
});

test('typing a field prefix offers field names', async () => {
  const { page } = app;
  const box = page.getByRole('searchbox', { name: 'Search records' });
  await box.fill('');
  await box.pressSequentially('sub');
  const list = page.getByRole('listbox', { name: 'Field names' });
  await list.waitFor();
  assert.match((await list.textContent()) ?? '', /substatus:/);
  await box.press('Tab');
  assert.equal(await box.inputValue(), 'substatus:');
});

test('clicking a facet filters to it and Alt-click excludes a value', async () => {
  const { page } = app;
  const facet = page.locator('[data-facet="status_details"]');
  await facet.getByRole('button', { name: /^HARD_BOUNCE/ }).click();
  const hard = (r: readonly string[]): boolean => r[col('status_details')] === 'HARD_BOUNCE';
  await expectCount(page, where(hard));
  const domains = page.locator('[data-facet="to_domain"]');
  await domains.getByRole('button', { name: /^gmail\.com/ }).click({ modifiers: ['Alt'] });
  await expectCount(
    page,
    where((r) => hard(r) && r[col('message_to_domain')] !== 'gmail.com'),
  );
  await app.screenshot('facets');
});

test('dragging across the histogram filters a time range', async () => {
  const { page } = app;
  const plot = page.getByTestId('histogram');
  const box = await plot.boundingBox();
  assert.ok(box);
  await page.mouse.move(box.x + box.width * 0.3, box.y + 30);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + 30, { steps: 8 });
  await page.mouse.move(box.x + box.width * 0.6, box.y + 30, { steps: 4 });
  await page.mouse.up();
  await waitUntil(async () => (await plot.getAttribute('data-to')) != null);
  const from = Number(await plot.getAttribute('data-from'));
  const to = Number(await plot.getAttribute('data-to'));
  assert.ok(from < to);
  const ms = (r: readonly string[]): number =>
    Date.parse(`${(r[col('creation_time')] ?? '').replace(' ', 'T')}Z`);
  const expected = where((r) => ms(r) >= from && ms(r) < to);
  assert.ok(expected > 0 && expected < fx.rows.length);
  await expectCount(page, expected);
  await app.screenshot('histogram-brush');
});

test('double-clicking a bounce opens its timeline with the reply explained', async () => {
  const { page } = app;
  await search(page, 'details:HARD_BOUNCE');
  await expectCount(
    page,
    where((r) => r[col('status_details')] === 'HARD_BOUNCE'),
  );
  const row = page.locator('.ag-row[row-index="0"]');
  await waitUntil(async () =>
    ((await row.locator('[col-id="status"]').textContent()) ?? '').includes('ERROR'),
  );
  await row.locator('[col-id="message_to"]').dblclick();
  const drawer = page.getByTestId('drilldown');
  await drawer.waitFor();
  const explanation = drawer.getByTestId('explanation').last();
  await explanation.waitFor({ timeout: 10_000 });
  const text = (await explanation.textContent()) ?? '';
  assert.match(text, /Hard bounce/, 'a hard bounce reply is given the hard verdict');
  assert.match(text, /Next step:/);
  await app.screenshot('drilldown');

  const recipient = ((await drawer.locator('.drawer-recipient').textContent()) ?? '').replace(/^To /, '');
  await drawer.getByRole('button', { name: 'This recipient' }).click();
  assert.equal(await page.getByRole('searchbox', { name: 'Search records' }).inputValue(), `to:${recipient}`);
  await expectCount(
    page,
    where((r) => (r[col('message_to')] ?? '').includes(recipient)),
  );
});

test('batch lookup answers one line per pasted address', async () => {
  const { page } = app;
  const known = [fx.rows[0]?.[col('message_to')] ?? '', fx.rows[50]?.[col('message_to')] ?? ''];
  await page.getByRole('button', { name: 'Lookup…' }).click();
  const dialog = page.getByTestId('lookup-dialog');
  await dialog.getByRole('textbox').fill([...known, 'nobody@nowhere.invalid'].join('\n'));
  await dialog.getByRole('button', { name: 'Look up', exact: true }).click();
  await dialog.getByTestId('lookup-results').waitFor();
  assert.equal(await dialog.getByTestId('lookup-results').locator('tbody tr').count(), 3);
  assert.match((await dialog.getByTestId('lookup-summary').textContent()) ?? '', /^2 of 3 addresses/);
  assert.equal(await dialog.locator('tr.not-found').count(), 1);
  await app.screenshot('batch-lookup');
  // Saved through main (the page cannot write files): one line per address, in the order pasted.
  app.exportPath = app.exportPath.replace(/\.csv$/, '-lookup.csv');
  await dialog.getByRole('button', { name: 'Save as CSV…' }).click();
  await waitUntil(() => Promise.resolve(existsSync(app.exportPath)));
  const saved = readFileSync(app.exportPath, 'utf8')
    .replace(/^\ufeff/, '')
    .trim()
    .split('\r\n');
  assert.equal(saved.length, 4);
  assert.match(saved[0] ?? '', /^Address,Records found,Status/);
  assert.ok(saved[1]?.startsWith(`${known[0]},`));
  assert.ok(saved[3]?.startsWith('nobody@nowhere.invalid,0,'));
});

test('the enum column filter narrows the grid to the ticked values', async () => {
  const { page } = app;
  const header = page.locator('.ag-header-cell[col-id="substatus"]');
  await header.scrollIntoViewIfNeeded();
  await header.hover();
  await header.locator('.ag-header-cell-filter-button, .ag-header-cell-menu-button').first().click();
  const filter = page.getByRole('group', { name: 'Filter Substatus' });
  await filter.waitFor();
  await filter.getByLabel('DROPPED').check();
  await expectCount(
    page,
    where((r) => r[col('substatus')] === 'DROPPED'),
  );
  await app.screenshot('enum-filter');
  await filter.getByLabel('Exclude the selected values').check();
  await expectCount(
    page,
    where((r) => r[col('substatus')] !== 'DROPPED'),
  );
});

test('Ctrl+C copies the focused cell and Ctrl+Shift+C the whole row', async () => {
  const { page } = app;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const cell = page.locator('.ag-row[row-index="0"] [col-id="message_to"]');
  await waitUntil(async () => ((await cell.textContent()) ?? '').includes('@'));
  const address = (await cell.textContent()) ?? '';
  await cell.click();
  await page.keyboard.press('Control+c');
  await waitUntil(async () => (await page.evaluate<string>('navigator.clipboard.readText()')) === address);
  await page.keyboard.press('Control+Shift+c');
  await waitUntil(async () => {
    const row = await page.evaluate<string>('navigator.clipboard.readText()');
    return row.split('\t').length === 24 && row.includes(address);
  });
});

test('searches are remembered and offered again in an empty search box', async () => {
  const { page } = app;
  await search(page, 'region:SG1');
  await expectCount(
    page,
    where((r) => r[col('processing_region')] === 'SG1'),
  );
  const box = page.getByRole('searchbox', { name: 'Search records' });
  await box.fill('');
  await box.press('Enter');
  await box.blur();
  await box.focus();
  const recent = page.getByRole('listbox', { name: 'Recent searches' });
  await recent.waitFor();
  assert.match((await recent.textContent()) ?? '', /region:SG1/);
  await recent.getByRole('option', { name: 'region:SG1' }).click();
  await expectCount(
    page,
    where((r) => r[col('processing_region')] === 'SG1'),
  );
});

test('a PREVIOUSLY_BOUNCED record links to the earlier hard bounce of its recipient', async () => {
  const { page } = app;
  // The fixture's first hard bounce, and a later suppressed send to the same recipient.
  const hard = fx.rows.find((r) => r[col('status_details')] === 'HARD_BOUNCE');
  assert.ok(hard);
  const to = hard[col('message_to')] ?? '';
  const later = [...hard];
  later[col('creation_time')] = '2026-10-20 08:00:00.000';
  later[col('status')] = 'ERROR';
  later[col('substatus')] = 'DROPPED';
  later[col('status_details')] = 'PREVIOUSLY_BOUNCED';
  later[col('smtp_status_code')] = '';
  later[col('correlation_id')] = 'c-suppressed-e2e';
  later[col('usage_id')] = 'u-suppressed-e2e';
  later[col('meta_data_id')] = 'm-suppressed-e2e';
  const file = path.join(dir, 'suppressed.csv');
  writeFileSync(file, toCsv([later]));
  assert.ok((await app.table['import:start']({ jobId: 'suppressed', paths: [file] })).ok);
  await page.reload();

  await search(page, `corr:c-suppressed-e2e`);
  await expectCount(page, 1);
  const row = page.locator('.ag-row[row-index="0"]');
  await waitUntil(async () => ((await row.locator('[col-id="message_to"]').textContent()) ?? '') === to);
  await row.locator('[col-id="message_to"]').click();
  await page.keyboard.press('Enter');
  const drawer = page.getByTestId('drilldown');
  const prior = drawer.locator('section.prior');
  await prior.waitFor();
  await app.screenshot('drilldown-prior-bounce');
  await prior.getByRole('button').first().click();
  await waitUntil(async () =>
    ((await drawer.textContent()) ?? '').includes(hard[col('correlation_id')] ?? '?'),
  );
  assert.match((await drawer.getByTestId('explanation').last().textContent()) ?? '', /Hard bounce/);
});
