/** axe-core over the page as it is on screen: serious and critical WCAG 2.1 A/AA violations fail the scenario. */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/**
 * `within` limits the scan to a dialog or panel: the screen behind it was scanned on its own, and a
 * full scan of the grid costs seconds per call on a busy machine.
 */
export async function assertAccessible(page: Page, name: string, within?: string): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (within) builder = builder.include(within);
  const result = await builder.analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length === 0) return;
  const lines = bad.map(
    (v) =>
      `${v.id} (${v.impact ?? ''}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map(
          (n) =>
            `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ')}]` : ''}`,
        )
        .join(' | ')}`,
  );
  throw new Error(`${name}: ${bad.length} serious/critical accessibility violations:\n${lines.join('\n')}`);
}
