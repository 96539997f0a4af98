/**
 * The zone rule where it is easy to get wrong, with the browser in Europe/Berlin and in
 * America/New_York: histogram day buckets start at local midnight (the DST day lasts 25 hours), and
 * a file whose zone-less times were read as UTC is read again in the right zone from the import
 * summary, replacing its import (same record count; the grid then shows the file's own wall clock).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { generateRows, toCsv } from '../../bench/generate';
import { wallClock } from '../../common/time-zone';
import { browserSuite, digits, waitUntil } from './harness';

const suite = browserSuite('zone');
const HOUR = 3_600_000;
const CHANGE_DAY: Record<string, string> = {
  'Europe/Berlin': '2026-10-25',
  'America/New_York': '2026-11-01',
};
let file: string;
let rows: string[][];

before(() => {
  // Four weeks across both DST changes: the histogram shows day buckets.
  rows = [...generateRows({ rows: 1200, seed: 51, startMs: Date.UTC(2026, 9, 12), spanDays: 28 })];
  file = path.join(suite.dir, 'four-weeks.csv');
  writeFileSync(file, toCsv(rows));
});

const day = (ms: number, zone: string): string => {
  const w = wallClock(ms, zone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
};

async function buckets(page: Page): Promise<{ start: number; end: number }[]> {
  const g = page.getByTestId('histogram').locator('g[data-start]');
  await waitUntil(async () => (await g.count()) > 20);
  const out: { start: number; end: number }[] = [];
  for (const el of await g.all())
    out.push({
      start: Number(await el.getAttribute('data-start')),
      end: Number(await el.getAttribute('data-end')),
    });
  return out;
}

for (const zone of ['Europe/Berlin', 'America/New_York']) {
  test(`a file re-read in ${zone} replaces its import; histogram days start at local midnight`, async () => {
    const app = await suite.open({ timezoneId: zone });
    const slug = zone.replace('/', '-');
    try {
      const { page } = app;
      app.pickPaths = [file];
      await page.getByRole('button', { name: 'Import files…' }).click();
      await page.getByTestId('import-confirm').getByRole('button', { name: 'Import', exact: true }).click();
      const summary = page.getByTestId('import-summary');
      await summary.waitFor({ timeout: 60_000 });
      assert.equal(digits(await summary.getByTestId('imported').textContent()), rows.length);
      assert.match((await summary.textContent()) ?? '', /times read as UTC/);

      // The export's times were the sender's wall clock in `zone`: read the file again in that zone.
      await summary.getByRole('button', { name: 'Wrong delimiter, encoding or time zone?' }).click();
      await summary.getByLabel('Times without a zone are in').selectOption(zone);
      assert.match((await summary.textContent()) ?? '', /Reading the file again replaces import #1/);
      await app.screenshot(`zone-replace-${slug}-override`);
      await summary.getByRole('button', { name: 'Replace import #1' }).click();
      const again = page.getByTestId('import-summary');
      await waitUntil(
        async () => new RegExp(`times read as ${zone}`).test((await again.textContent()) ?? ''),
        60_000,
      );
      assert.equal(
        digits(await again.getByTestId('imported').textContent()),
        rows.length,
        'no row counted as a duplicate',
      );
      await app.screenshot(`zone-replace-${slug}-summary`);
      await page.getByRole('button', { name: 'Show records' }).click();

      // Same number of records, and the newest shows the file's own wall-clock text in this zone.
      const count = await app.table['rows:count']({ filter: {} });
      assert.ok(count.ok && count.value === rows.length, JSON.stringify(count));
      const newest =
        rows
          .map((r) => r[0] ?? '')
          .sort()
          .at(-1) ?? '';
      const cell = page
        .getByTestId('grid')
        .locator('.ag-row[row-index="0"] .ag-cell[col-id="creation_time"]');
      await waitUntil(async () => ((await cell.textContent()) ?? '').includes(newest.slice(11, 19)));

      // The history says what became of the first import.
      await page.getByRole('button', { name: 'History' }).click();
      const history = page.getByRole('dialog', { name: 'Import history' });
      await waitUntil(async () => /removed: replaced by import #2/.test((await history.textContent()) ?? ''));
      await app.screenshot(`zone-replace-${slug}-history`);
      await page.keyboard.press('Escape');

      // Day buckets: each starts at midnight in `zone` and ends where the next starts; the DST day has 25 hours.
      const bs = await buckets(page);
      bs.forEach((b, i) => {
        const w = wallClock(b.start, zone);
        assert.deepEqual(
          [w.hour, w.minute, w.second],
          [0, 0, 0],
          `bucket ${i} starts at ${new Date(b.start).toISOString()}`,
        );
        if (i + 1 < bs.length) assert.equal(b.end, bs[i + 1]?.start);
        assert.equal(
          (b.end - b.start) / HOUR,
          day(b.start, zone) === CHANGE_DAY[zone] ? 25 : 24,
          day(b.start, zone),
        );
      });
      const change = bs.find((b) => day(b.start, zone) === CHANGE_DAY[zone]);
      assert.ok(change, `a bucket for ${CHANGE_DAY[zone]}`);
      // Hovering it names the bucket by its local start: midnight.
      await page.getByTestId('histogram').locator(`g[data-start="${change.start}"] rect`).first().hover();
      const info = page.locator('.histogram-info');
      await waitUntil(async () => /00:00:00/.test((await info.textContent()) ?? ''));
      const [y, m, d] = (CHANGE_DAY[zone] ?? '').split('-');
      assert.ok(
        ((await info.textContent()) ?? '').includes(`${m}/${d}/${y}`),
        (await info.textContent()) ?? '',
      );
      await app.screenshot(`zone-histogram-${slug}`);
    } finally {
      await app.close();
    }
  });
}

test('Remove… in the import history deletes one import after a confirmation, from the keyboard', async () => {
  const app = await suite.open();
  try {
    const other = path.join(suite.dir, 'other.csv');
    const otherRows = [
      ...generateRows({ rows: 300, seed: 52, startMs: Date.UTC(2026, 10, 20), spanDays: 2 }),
    ];
    writeFileSync(other, toCsv(otherRows));
    assert.ok((await app.table['import:start']({ jobId: 'a', paths: [file] })).ok);
    assert.ok((await app.table['import:start']({ jobId: 'b', paths: [other] })).ok);
    const { page } = app;
    await page.reload();
    await page.getByTestId('grid').locator('.ag-row').first().waitFor();
    await page.getByRole('button', { name: 'History' }).click();
    const history = page.getByRole('dialog', { name: 'Import history' });
    const remove = history.getByRole('button', { name: 'Remove import #1 (four-weeks.csv)' });
    await remove.focus();
    await page.keyboard.press('Enter');
    const confirm = history.getByRole('group', { name: 'Remove four-weeks.csv?' });
    assert.match((await confirm.textContent()) ?? '', /Delete its 1,200 records\?/);
    await app.screenshot('history-remove-confirm');
    // "Remove" has focus: Enter confirms.
    await page.keyboard.press('Enter');
    await waitUntil(async () =>
      /removed: 1,200 records deleted on/.test((await history.textContent()) ?? ''),
    );
    const count = await app.table['rows:count']({ filter: {} });
    assert.ok(count.ok && count.value === otherRows.length, JSON.stringify(count));
    await waitUntil(
      async () =>
        digits(await page.getByTestId('match-count').locator('strong').textContent()) === otherRows.length,
    );
    await app.screenshot('history-removed');
  } finally {
    await app.close();
  }
});
