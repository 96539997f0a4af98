/**
 * The splitters of the unique columns' bucket codes (unique-codes.ts): sorted distinct values of a
 * sample of evenly spaced ids, thinned to at most MAX_SPLITTERS, and a value's code among them. Apart
 * from unique-codes.ts (which loads and keeps the codes) to keep either file under the house's ~300
 * lines (14a); no change of behaviour.
 */
import { compareSqlValues, valueKey, type SqlValue } from './sql-order';

/** Sampled records: their sorted distinct values give the splitters. */
export const SAMPLE_SIZE = 65_536;

/** At most this many splitters: codes 1 .. 2 * MAX_SPLITTERS + 1 fit a Uint16Array. */
export const MAX_SPLITTERS = 16_000;

/** `n` ids spread evenly over 1 .. top (the records sampled). */
export function sampleIdsOf(top: number, n: number): number[] {
  const count = Math.min(n, top);
  const ids: number[] = [];
  for (let k = 0; k < count; k++) ids.push(1 + Math.floor((k * top) / count));
  return ids;
}

/** Whether every value can be compared exactly in JS (not a BLOB, no integer beyond 2^53). */
export function exact(v: unknown): v is SqlValue {
  return (v === null || typeof v === 'number' || typeof v === 'string') && valueKey(v) !== null;
}

/** Sorted distinct values of the sample, thinned to at most `max`. */
export function splittersOf(sample: readonly SqlValue[], max = MAX_SPLITTERS): SqlValue[] {
  const sorted = sortSample(sample);
  const distinct: SqlValue[] = [];
  for (const v of sorted)
    if (distinct.length === 0 || compareSqlValues(distinct[distinct.length - 1], v) !== 0) distinct.push(v);
  const every = Math.ceil(distinct.length / max);
  return every <= 1 ? distinct : distinct.filter((_, i) => i % every === 0);
}

/**
 * The sample in SQLite's order. The generic comparator took 60-130 ms for 65 536 values (a load step
 * waits for it), so the usual cases take a native sort of the same order: all numbers, or all text
 * without UTF-16 surrogates or U+E000-U+FFFF (there, code unit order is code point order).
 */
function sortSample(sample: readonly SqlValue[]): SqlValue[] {
  if (sample.every((v) => typeof v === 'number'))
    return Array.from(Float64Array.from(sample as number[]).sort());
  if (sample.every((v) => typeof v === 'string' && !/[\uD800-\uFFFF]/.test(v))) return [...sample].sort();
  return [...sample].sort(compareSqlValues);
}

/** The value's code: 2i + 2 if it equals splitter i, else 2i + 1 with i splitters below it. */
export function codeOf(splitters: readonly SqlValue[], v: SqlValue): number {
  let lo = 0;
  let hi = splitters.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareSqlValues(splitters[mid], v) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < splitters.length && compareSqlValues(splitters[lo], v) === 0 ? 2 * lo + 2 : 2 * lo + 1;
}
