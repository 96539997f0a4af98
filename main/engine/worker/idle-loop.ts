/**
 * Runs a reader's in-memory loads (the aggregate reader's facts mirror, address map and values; the
 * page reader's value codes) in steps while it is idle, now and whenever the returned function
 * (called after each answer) finds them behind an import. Until a load is complete, requests take the
 * SQL path.
 */

/**
 * A load step runs only after the reader has had no request for this long. Loaded eagerly, the 5M
 * mirror's ~5 s of steps ran between the bench's back-to-back requests and slowed all of them
 * (matrix at 5M, load ~4: total 12.7 -> 19.6 s, `jane` together 1295 -> 1889 ms); a person reading a
 * result leaves the reader idle far longer.
 */
export const IDLE_MS = 250;

/** `step` does one bounded piece of loading and says whether more is left. */
export function idleLoop(step: () => boolean, idleMs = IDLE_MS): () => void {
  let running = false;
  let lastAnswer = performance.now();
  const run = (): void => {
    const wait = lastAnswer + idleMs - performance.now();
    if (wait > 0) {
      setTimeout(run, wait);
      return;
    }
    let more: boolean;
    const t0 = performance.now();
    try {
      more = step();
    } catch {
      // Only a speed-up: a failed read leaves the SQL path answering, and the next request retries.
      more = false;
    }
    // Half a core at most: both readers load at once after a workspace opens, and back to back they
    // took both cores from the window loading beside them (bundle load to first rows 1427 ms in the
    // 1M bench, against 900-953 ms when one reader loaded).
    if (more) setTimeout(run, Math.max(1, performance.now() - t0));
    else running = false;
  };
  const kick = (): void => {
    lastAnswer = performance.now();
    if (running) return;
    running = true;
    setTimeout(run, idleMs);
  };
  kick();
  return kick;
}
