/**
 * One time zone in the browser: with the browser in Europe/Berlin and in America/New_York, the same
 * record shows the same wall-clock time in the grid, the drilldown and the exported file, and a typed
 * after: selects from that wall clock. Changing the zone in the status bar re-renders the times.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { formatIsoInZone, formatOffset, wallToInstant, zoneOffsetMs } from '../../common/time-zone';
import { writeFixture, type Fixture } from './fixtures';
import { browserSuite, digits, waitUntil } from './harness';

const suite = browserSuite('tz');

let dir: string;
let fx: Fixture;

before(() => {
  dir = suite.dir;
  fx = writeFixture(dir, 'october.csv', 1500, 41);
});

const utcMs = (text: string): number => Date.parse(`${text.replace(' ', 'T')}Z`);

async function shownCount(page: Page): Promise<number> {
  const strong = page.getByTestId('match-count').locator('strong');
  return (await strong.count()) ? digits(await strong.textContent()) : -1;
}

for (const zone of ['Europe/Berlin', 'America/New_York']) {
  test(`one wall clock in grid, drilldown, export and after: (${zone})`, async () => {
    const app = await suite.open({ timezoneId: zone });
    try {
      assert.ok((await app.table['import:start']({ jobId: 'seed', paths: [fx.path] })).ok);
      const { page } = app;
      await page.reload();
      const grid = page.getByTestId('grid');
      await grid.locator('.ag-row[row-index="0"]').waitFor();
      const times = fx.rows.map((r) => utcMs(r[0] ?? '')).sort((a, b) => b - a);
      const newest = times[0] ?? 0;
      // "2026-10-10 21:42:05": the wall clock a person in `zone` reads for the newest record.
      const wall = formatIsoInZone(newest, zone);
      const [day, clock] = wall.split(' ') as [string, string];
      const [y, mo, d] = day.split('-');
      const cell = grid.locator('.ag-row[row-index="0"] .ag-cell[col-id="creation_time"]');
      await waitUntil(async () => ((await cell.textContent()) ?? '').includes(clock));
      const gridText = (await cell.textContent()) ?? '';
      assert.ok(gridText.includes(`${mo}/${d}/${y}`) || gridText.includes(`${d}.${mo}.${y}`), gridText);
      await page.getByTestId('display-zone').getByRole('combobox').waitFor();
      assert.match((await page.getByTestId('display-zone').textContent()) ?? '', new RegExp(zone));

      await cell.dblclick();
      const drawer = page.getByTestId('drilldown');
      await drawer.locator('time').first().waitFor();
      const drawerTimes = await drawer.locator('time').allTextContents();
      assert.ok(
        drawerTimes.some((t) => t === gridText),
        `drilldown shows ${drawerTimes.join(', ')}, grid ${gridText}`,
      );
      await app.screenshot(`timezone-${zone.replace('/', '-')}-drilldown`);
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Export…' }).click();
      const dates = page.getByTestId('export-dates');
      assert.match(
        (await dates.textContent()) ?? '',
        new RegExp(`in ${zone} \\(UTC[+-]\\d\\d:\\d\\d\\) with the offset`),
      );
      await app.screenshot(`timezone-${zone.replace('/', '-')}-export-dialog`);
      await page.getByRole('button', { name: 'Choose file and export…' }).click();
      await page.getByTestId('export-done').waitFor({ timeout: 60_000 });
      const lines = readFileSync(app.exportPath, 'utf8').split('\r\n');
      const offset = formatOffset(zoneOffsetMs(newest, zone));
      // The same wall clock, milliseconds where the source had them, and the zone's offset.
      const written = (lines[1] ?? '').split(',')[0] ?? '';
      assert.match(written, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{3})?[+-]\d\d:\d\d$/);
      assert.equal(written.slice(0, 19), wall, `export line: ${lines[1]}`);
      assert.ok(written.endsWith(offset), `export line: ${lines[1]}`);
      await page.keyboard.press('Escape');

      // after: a wall-clock minute in `zone` between records: exactly the records from then on.
      const pivot = times[Math.floor(times.length / 3)] ?? 0;
      const typed = formatIsoInZone(pivot, zone).slice(0, 16);
      const [ty, tmo, td, th, tmi] = typed.split(/[- :]/).map(Number) as [
        number,
        number,
        number,
        number,
        number,
      ];
      const from = wallToInstant(Date.UTC(ty, tmo - 1, td, th, tmi), zone);
      const expected = times.filter((t) => t >= from).length;
      const asUtc = times.filter((t) => t >= Date.UTC(ty, tmo - 1, td, th, tmi)).length;
      assert.notEqual(expected, asUtc, 'the zone must make a difference for this check to mean anything');
      const box = page.getByRole('searchbox', { name: 'Search records' });
      await box.fill(`after:"${typed}"`);
      await box.press('Enter');
      await waitUntil(async () => (await shownCount(page)) === expected, 20_000).catch(async () =>
        assert.fail(
          `after:"${typed}" shows ${await shownCount(page)}, expected ${expected} (UTC reading: ${asUtc})`,
        ),
      );
      // The oldest record selected is at or after the typed minute, as the grid shows it.
      await app.screenshot(`timezone-${zone.replace('/', '-')}-after`);

      // Switching the display zone to UTC in the status bar re-renders the times.
      await page.getByTestId('display-zone').getByRole('combobox').selectOption('UTC');
      await box.fill('');
      await box.press('Enter');
      const utcClock = formatIsoInZone(newest, 'UTC').split(' ')[1] ?? '';
      await waitUntil(async () =>
        (
          (await grid.locator('.ag-row[row-index="0"] .ag-cell[col-id="creation_time"]').textContent()) ?? ''
        ).includes(utcClock),
      );
      const saved = await app.table['settings:get']({ key: 'display.timeZone' });
      assert.ok(saved.ok && saved.value === 'UTC');

      // The export dialog's Excel choice names the zone the times will be in: the one shown, not the machine's.
      await page.getByRole('button', { name: 'Export…' }).click();
      const excel = page.getByTestId('export-dialog').getByText(/Excel\s+workbook \(\.xlsx\)/);
      assert.match((await excel.textContent()) ?? '', /times as dates in UTC,/);
      await page.keyboard.press('Escape');
    } finally {
      await app.close();
    }
  });
}
