/** Small robust statistics for the incident detector. */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Median absolute deviation, scaled by 1.4826 so it estimates a standard deviation for normal data. */
export function scaledMad(xs: readonly number[], m = median(xs)): number {
  return 1.4826 * median(xs.map((x) => Math.abs(x - m)));
}
