/**
 * Browser scenarios for the insights over the real engine: the domains view filtering the grid, an
 * incident marked on the histogram and clicked, a typo hint in the drilldown, and a case report saved
 * as PDF and rendered to PNG. Counts shown are checked against the generated rows.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openDatabase } from '../../main/engine/db/open';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { generateCase, HOUR, insertCase, type CaseRow } from '../unit/insights-fixture';
import { insertRecord } from '../unit/query-fixture';
import { browserSuite, digits, OUTPUT_DIR, waitUntil, type AppSession } from './harness';

const suite = browserSuite('ins');

const START = Date.UTC(2026, 9, 3, 0);
let dir: string;
let rows: CaseRow[];
let app: AppSession;

before(async () => {
  dir = suite.dir;
  const dbPath = path.join(dir, 'insights-case.sqlite');
  rows = generateCase({
    seed: 17,
    startMs: START,
    hours: 72,
    domains: [
      { domain: 'gmail.com', perHour: 30, bounceRate: 0.04 },
      { domain: 'googlemail.com', perHour: 3, bounceRate: 0.04 },
      { domain: 'web.de', perHour: 30, bounceRate: 0.05 },
      { domain: 'kunde.de', perHour: 8, bounceRate: 0.15 },
    ],
    incidents: [
      {
        domain: 'web.de',
        fromHour: 40,
        hours: 3,
        bounceRate: 0.8,
        reply: '421 4.7.0 Try again later, closing connection.',
      },
    ],
  });
  const db = openDatabase(dbPath);
  insertCase(db, rows);
  insertRecord(db, {
    message_to: 'jane.doe@gmial.com',
    message_to_domain: 'gmial.com',
    creation_time: '2026-10-04 10:00:00.000',
    status: 'ERROR',
    substatus: 'BOUNCED',
    status_details: 'HARD_BOUNCE',
    smtp_status_code: '550 5.1.2 Host or domain name not found',
    correlation_id: 'c-typo',
    version: 1,
  });
  updateSearchIndex(db);
  db.close();
  app = await suite.open({ dbPath });
});

after(async () => {
  await app?.close();
});

beforeEach(async () => {
  await app.page.reload();
  await app.page.getByTestId('grid').locator('.ag-row').first().waitFor();
});

async function shownCount(page: Page): Promise<number> {
  const strong = page.getByTestId('match-count').locator('strong');
  return (await strong.count()) ? digits(await strong.textContent()) : -1;
}

async function expectCount(page: Page, expected: number): Promise<void> {
  await waitUntil(async () => (await shownCount(page)) === expected, 20_000).catch(async () => {
    assert.fail(`match count shows ${await shownCount(page)}, expected ${expected}`);
  });
}

test('the domains view lists providers and domains; a click filters the grid to the provider', async () => {
  const { page } = app;
  await page.getByRole('button', { name: 'Domains', exact: true }).click();
  const view = page.getByTestId('domains-view');
  const google = view.locator('[data-key="provider:google"]');
  await google.waitFor();
  await google.getByRole('button', { name: 'Show the domains of Google (Gmail)' }).click();
  await view.locator('[data-key="googlemail.com"]').waitFor();
  const googleRecords = rows.filter((r) => r.domain === 'gmail.com' || r.domain === 'googlemail.com').length;
  assert.equal(digits(await google.locator('td.num').first().textContent()), googleRecords);
  // Sorting by bounce rate: the mistyped domain (its one record bounced), then kunde.de (15 %).
  await view.getByRole('button', { name: /^Bounce rate/ }).click();
  const order = async (): Promise<string> => {
    const lines = view.getByTestId('domain-row');
    const keys: (string | null)[] = [];
    for (let i = 0; i < Math.min(3, await lines.count()); i++)
      keys.push(await lines.nth(i).getAttribute('data-key'));
    return keys.join(' ');
  };
  await waitUntil(async () => (await order()).startsWith('gmial.com kunde.de provider:webde'), 5000).catch(
    async () => assert.fail(`lines after sorting by bounce rate: ${await order()}`),
  );
  await app.screenshot('insights-domains');
  await view.getByRole('button', { name: /^Bounce rate/ }).click();
  await google.getByRole('button', { name: 'Google (Gmail)', exact: true }).click();
  await expectCount(page, googleRecords);
});

test('an incident is marked on the histogram; a click filters to its domain and hours', async () => {
  const { page } = app;
  const mark = page.getByTestId('incident-mark');
  await mark.first().waitFor();
  assert.equal(await mark.count(), 1);
  await app.screenshot('insights-incident-marked');
  const title = (await mark.getAttribute('title')) ?? '';
  assert.match(title, /WEB\.DE/);
  assert.match(title, /median/);
  await mark.click();
  const from = START + 40 * HOUR;
  const to = from + 3 * HOUR;
  await expectCount(page, rows.filter((r) => r.domain === 'web.de' && r.t >= from && r.t < to).length);
  const plot = page.getByTestId('histogram');
  assert.equal(Number(await plot.getAttribute('data-from')), from);
  assert.equal(Number(await plot.getAttribute('data-to')), to);

  await page.getByRole('button', { name: 'Incidents', exact: true }).click();
  const why = page.getByTestId('incident-why');
  await why.waitFor();
  assert.match((await why.textContent()) ?? '', /Why this is flagged: WEB\.DE: \d+ % of \d+ records bounced/);
  await app.screenshot('insights-incidents-view');
});

test('a mistyped address shows a typo hint in the drilldown, and Look it up searches the suggestion', async () => {
  const { page } = app;
  const box = page.getByRole('searchbox', { name: 'Search records' });
  await box.fill('to:jane.doe@gmial.com');
  await box.press('Enter');
  await expectCount(page, 1);
  await page.locator('.ag-row[row-index="0"] [col-id="message_to"]').dblclick();
  const hint = page.getByTestId('drilldown').getByTestId('typo-hint');
  await hint.waitFor();
  assert.match((await hint.textContent()) ?? '', /did they mean jane\.doe@gmail\.com\?/);
  await app.screenshot('insights-typo-drilldown');
  await hint.getByRole('button', { name: 'Look it up' }).click();
  assert.equal(await box.inputValue(), 'to:jane.doe@gmail.com');

  // The same hint in the batch lookup and in the likely-typos list.
  await page.getByRole('button', { name: 'Lookup…' }).click();
  const lookup = page.getByTestId('lookup-dialog');
  await lookup.locator('textarea').fill('jane.doe@gmial.com');
  await lookup.getByRole('button', { name: 'Look up', exact: true }).click();
  assert.equal(await lookup.getByTestId('lookup-typo').textContent(), 'jane.doe@gmail.com');
  await lookup.getByRole('button', { name: 'Close' }).click();
  await box.fill('');
  await box.press('Enter');
  await page.getByRole('button', { name: 'Typos', exact: true }).click();
  const list = page.getByTestId('typos-table');
  await list.waitFor();
  assert.match((await list.textContent()) ?? '', /jane\.doe@gmial\.com\s*1\s*jane\.doe@gmail\.com/);
});

test('one click writes the case report as PDF; its first page is rendered to PNG', async () => {
  const { page } = app;
  await page.getByRole('button', { name: 'Report…' }).click();
  const dialog = page.getByTestId('report-dialog');
  assert.match((await dialog.textContent()) ?? '', /All records of the workspace/);
  await dialog.getByRole('button', { name: 'Save report…' }).click();
  await dialog.getByTestId('report-saved').waitFor({ timeout: 60_000 });
  await app.screenshot('insights-report-dialog');
  const pdf = `${app.reportPath}.pdf`;
  assert.ok(existsSync(pdf));
  assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const png = path.join(OUTPUT_DIR, 'insights-report-page1');
  execFileSync('pdftoppm', ['-png', '-r', '70', '-singlefile', '-f', '1', pdf, png]);
  assert.ok(existsSync(`${png}.png`));
});
