/**
 * Marks when the grid's first block for a filter has arrived: the side queries' answers (count,
 * facets, histogram) are shown after it, so drawing the panels does not delay the rows (useResults.ts).
 */
/** Frames the panels wait at most for the rows to be drawn (~0.5 s at 60 Hz). */
const MAX_FRAMES = 30;

export class RowsSignal {
  private readonly loaded = new Set<string>();
  private readonly waiters = new Map<string, (() => void)[]>();

  /** The grid started over (new datasource or column filter): earlier answers no longer count. */
  reset(): void {
    this.loaded.clear();
  }

  /**
   * Called when the grid has taken the rows for `key`. The waiters (the panels) are told only after
   * a frame in which `drawn()` held when the frame began (checked in an animation callback, polled
   * frame by frame) has been painted (a task queued from that callback). Told at once, the panels'
   * React render ran in a task before the frame that paints the rows, and the rows showed one long
   * task later (measured 1M rows, load ~10: 100-490 ms between the rows in the DOM and the next
   * frame, most of it the facets and histogram render). The grid builds its rows in its own
   * animation frames and React tasks, so "taken" is not "in the DOM": `drawn` looks at the DOM.
   */
  mark(key: string, drawn: () => boolean = () => true): void {
    this.loaded.add(key);
    if (this.loaded.size > 64) this.loaded.delete(this.loaded.values().next().value ?? key);
    const waiting = this.waiters.get(key) ?? [];
    this.waiters.delete(key);
    if (waiting.length === 0) return;
    const release = (): void => {
      for (const resolve of waiting) resolve();
    };
    let frames = 0;
    const look = (): void => {
      // A grid that never draws them (scrolled away, a failed block) is not waited for long.
      if (drawn() || ++frames >= MAX_FRAMES) window.setTimeout(release, 0);
      else window.requestAnimationFrame(look);
    };
    window.requestAnimationFrame(look);
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
