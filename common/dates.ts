/**
 * Calendar dates to epoch ms. `Date.UTC` and `new Date(y, …)` read years 0–99 as 1900–1999 (a
 * two-digit-year convenience from 1995), so "0050-06-15" would become 1950-06-15; these helpers
 * take every four-digit year literally. Pure TypeScript: shared by the engine and the renderer.
 */

/** 400 Gregorian years have exactly 146 097 days: shifting by them keeps weekday and leap rules. */
const ERA_MS = 146_097 * 86_400_000;

/** `Date.UTC` with the year taken as written (month is 0-based, as in `Date.UTC`). */
export function utcMs(y: number, month: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  if (y >= 0 && y < 100) return Date.UTC(y + 400, month, d, h, mi, s, ms) - ERA_MS;
  return Date.UTC(y, month, d, h, mi, s, ms);
}

/** `new Date(y, …).getTime()` (local time) with the year taken as written. */
export function localMs(y: number, month: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const date = new Date(2000, 0, 1);
  date.setFullYear(y, month, d);
  date.setHours(h, mi, s, ms);
  return date.getTime();
}
