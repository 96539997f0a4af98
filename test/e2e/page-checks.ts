/** Checks the browser tests make of a page from Node: numbers shown, conditions polled, layout. */
import type { Page } from 'playwright-core';

/** The number shown in a label such as "1,800" (every digit of the text, separators dropped). */
export const digits = (s: string | null): number => Number((s ?? '').replace(/\D/g, ''));

/** Polls a condition from Node (the page's CSP forbids string predicates evaluated inside it). */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Visible elements sticking out of the window on the right: a broken layout, whatever the screenshot
 * shows. Elements inside scrolling containers (the grid's columns) are clipped by design and skipped.
 */
export async function layoutOverflow(page: Page): Promise<string[]> {
  const script = `(() => {
    const w = document.documentElement.clientWidth;
    const out = [];
    if (document.documentElement.scrollWidth > w + 1) out.push('page is ' + document.documentElement.scrollWidth + 'px wide for ' + w);
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('.ag-root-wrapper, .table-scroll, svg')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right > w + 1) out.push((el.className || el.tagName) + ' ends at ' + Math.round(r.right));
      if (out.length > 5) break;
    }
    return out;
  })()`;
  return page.evaluate<string[]>(script);
}
