/**
 * Marks when the grid's first block for a filter has arrived: the side queries' answers (count,
 * facets, histogram) are shown after it, so drawing the panels does not delay the rows (useResults.ts).
 */
export class RowsSignal {
  private readonly loaded = new Set<string>();
  private readonly waiters = new Map<string, (() => void)[]>();

  /** The grid started over (new datasource or column filter): earlier answers no longer count. */
  reset(): void {
    this.loaded.clear();
  }

  mark(key: string): void {
    this.loaded.add(key);
    if (this.loaded.size > 64) this.loaded.delete(this.loaded.values().next().value ?? key);
    for (const resolve of this.waiters.get(key) ?? []) resolve();
    this.waiters.delete(key);
  }

  /** Resolves when rows for `key` have been shown, or after `timeoutMs` whatever happened. */
  wait(key: string, timeoutMs: number): Promise<void> {
    if (this.loaded.has(key)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = window.setTimeout(resolve, timeoutMs);
      const done = (): void => {
        window.clearTimeout(timer);
        resolve();
      };
      this.waiters.set(key, [...(this.waiters.get(key) ?? []), done]);
    });
  }
}

export function filterKey(filter: unknown): string {
  return JSON.stringify(filter);
}
