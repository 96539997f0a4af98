/**
 * The order answers reach the screen (bench `browser`, 14e): a search's first rows are painted in a
 * frame of their own, and the count, facets and histogram only in a later frame (drawn in the same
 * frame, the panels' render held up the rows); after a jump down the grid, the block in view is asked
 * for at the scroll, before the grid renders its loading rows there (it asked only after them).
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
 * Presses Enter on `q` and resolves the frames that paint this search's first row and its count.
 * A DOM change is painted in the frame whose animation callbacks run after it: a ticker counts the
 * frames, and a change made while the current frame's callbacks run (before that frame's paint, up to
 * a task the ticker queues from its callback, which runs after the paint) is painted in the current
 * frame, any later one in the next. Comparing raw tick numbers raced the grid: it draws rows inside
 * its own animation callbacks, after the ticker's, and a count drawn after that frame's paint got
 * the same number (14e's test failed so in a fresh-clone CI run: "rows in frame 4, count in frame 4").
 */
function framesScript(q: string): string {
  return `(async () => {
    const q = ${JSON.stringify(q)};
    const input = document.querySelector('input[type=search]');
    const grid = document.querySelector('[data-testid=grid]');
    const countBox = document.querySelector('[data-testid=match-count]');
    let frame = 0, inFrame = false, rowsFrame = -1, countFrame = -1, countGone = false, running = true;
    const tick = () => {
      frame++;
      inFrame = true;
      setTimeout(() => { inFrame = false; }, 0);
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const paintedIn = () => (inFrame ? frame : frame + 1);
    const look = () => {
      if (rowsFrame < 0 && grid.getAttribute('data-loaded-q') === q &&
          grid.querySelector('.ag-row[row-index="0"] [col-id="message_to"]')?.textContent) rowsFrame = paintedIn();
      const strong = countBox.querySelector('strong');
      if (!strong) countGone = true;
      else if (countGone && countFrame < 0) countFrame = paintedIn();
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

test("a search's count is painted in a later frame than its first rows", async () => {
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
    assert.ok(
      countFrame > rowsFrame,
      `${q}: rows painted in frame ${rowsFrame}, count in frame ${countFrame}`,
    );
    // Idle again before the next search, as a person reading the answer.
    await page.locator('aside.facets[aria-busy="false"]').waitFor();
  }
});

test('a jump down the grid asks for the block in view before the grid renders rows there', async () => {
  const { page } = app;
  // All 1 500 rows (whatever search the test before left), so the middle of the grid is row ~740.
  const search = page.locator('input[type=search]');
  await search.fill('');
  await search.press('Enter');
  await page
    .getByTestId('match-count')
    .getByText(new Intl.NumberFormat().format(fx.rows.length))
    .first()
    .waitFor();
  await page.locator('aside.facets[aria-busy="false"]').waitFor();
  const [sentBefore, firstIndex] = await page.evaluate<[number[], number]>(`(async () => {
    const sent = [];
    const invoke = window.__diInvoke;
    window.__diInvoke = (channel, args) => {
      if (channel === 'rows:page') sent.push(args.startRow);
      return invoke(channel, args);
    };
    const grid = document.querySelector('[data-testid=grid]');
    let seen = null;
    const mo = new MutationObserver(() => {
      if (seen) return;
      const deep = [...grid.querySelectorAll('.ag-row')].map((r) => Number(r.getAttribute('row-index'))).filter((i) => i >= 500);
      if (deep.length) seen = [[...sent], Math.min(...deep)];
    });
    mo.observe(grid, { subtree: true, childList: true, attributes: true });
    // The grid's vertical scrollbar, as when its thumb is dragged down.
    const vp = grid.querySelector('.ag-body-vertical-scroll-viewport');
    vp.scrollTop = (vp.scrollHeight - vp.clientHeight) / 2;
    const deadline = performance.now() + 20000;
    await new Promise((resolve) => { const check = () => seen || performance.now() > deadline ? resolve() : setTimeout(check, 10); check(); });
    mo.disconnect();
    window.__diInvoke = invoke;
    return seen ?? [[...sent], -1];
  })()`);
  assert.ok(firstIndex >= 500, `rows rendered down the grid (first ${firstIndex})`);
  const block = Math.floor(firstIndex / 100) * 100;
  assert.ok(
    sentBefore.includes(block),
    `block ${block} asked for before row ${firstIndex} was rendered (asked: ${sentBefore.join(', ') || 'none'})`,
  );
});
