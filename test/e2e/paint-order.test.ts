/**
 * The order a search's answers reach the screen: the grid's first rows are painted in a frame of
 * their own, and the count, facets and histogram are drawn only in a later frame. Drawn in the same
 * frame (as before 14e), the panels' render held up the paint of the rows (bench `browser`).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { col, writeFixture, type Fixture } from './fixtures';
import { browserSuite, type AppSession } from './harness';

const suite = browserSuite('paint');

let fx: Fixture;
let app: AppSession;

before(async () => {
  fx = writeFixture(suite.dir, 'october.csv', 1500, 44);
  app = await suite.open();
  assert.ok((await app.table['import:start']({ jobId: 'seed', paths: [fx.path] })).ok);
  await app.page.reload();
  await app.page.getByTestId('match-count').locator('strong').waitFor();
});

after(async () => {
  await app?.close();
});

/**
 * Presses Enter on `q` and counts animation frames (a frame is a paint opportunity) until this
 * search's first row is in the grid and until its count is on screen; resolves both frame numbers.
 */
function framesScript(q: string): string {
  return `(async () => {
    const q = ${JSON.stringify(q)};
    const input = document.querySelector('input[type=search]');
    const grid = document.querySelector('[data-testid=grid]');
    const countBox = document.querySelector('[data-testid=match-count]');
    let frame = 0, rowsFrame = -1, countFrame = -1, countGone = false, running = true;
    const tick = () => { frame++; if (running) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const look = () => {
      if (rowsFrame < 0 && grid.getAttribute('data-loaded-q') === q &&
          grid.querySelector('.ag-row[row-index="0"] [col-id="message_to"]')?.textContent) rowsFrame = frame;
      const strong = countBox.querySelector('strong');
      if (!strong) countGone = true;
      else if (countGone && countFrame < 0) countFrame = frame;
    };
    const mo = new MutationObserver(look);
    mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    setter.call(input, q);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    const deadline = performance.now() + 20000;
    await new Promise((resolve) => {
      const check = () => (rowsFrame >= 0 && countFrame >= 0) || performance.now() > deadline ? resolve() : setTimeout(check, 10);
      check();
    });
    running = false;
    mo.disconnect();
    return [rowsFrame, countFrame];
  })()`;
}

test("a search's first rows are painted in an earlier frame than its count and panels", async () => {
  const { page } = app;
  const searches = [
    ['status:ERROR', 'status', 'ERROR'],
    ['region:DE1', 'processing_region', 'DE1'],
    ['details:SOFT_BOUNCE', 'status_details', 'SOFT_BOUNCE'],
    ['status:OK', 'status', 'OK'],
  ] as const;
  for (const [q, column, value] of searches) {
    assert.ok(
      fx.rows.some((r) => r[col(column)] === value),
      `${q} matches rows`,
    );
    const [rowsFrame, countFrame] = await page.evaluate<[number, number]>(framesScript(q));
    assert.ok(rowsFrame >= 0, `${q}: rows shown`);
    assert.ok(countFrame >= 0, `${q}: count shown`);
    assert.ok(countFrame > rowsFrame, `${q}: rows in frame ${rowsFrame}, count in frame ${countFrame}`);
    // Idle again before the next search, as a person reading the answer.
    await page.locator('aside.facets[aria-busy="false"]').waitFor();
  }
});
