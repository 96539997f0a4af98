/**
 * Every record's id but a negated free word's (`-jane`), in one pass over the aggregate reader's
 * complete facts mirror (an id up to record_facts' coverage is a record iff it has a combo there).
 *
 * Why: `-jane` alone read every id first (a pass filling a 5M-slot array) and then subtracted the
 * word's ids in a second pass over it; profiled at 5M rows under load, those two passes took
 * ~85 + ~60 ms of CPU of each `-jane` id set (~450 ms), whose histogram alone measured 314 ms quiet
 * (target 300). One pass that skips the word's ids as it goes does both.
 */
import type { Database } from 'better-sqlite3';
import { factsMirror } from './facts-memory';
import { mergeDistinct } from './id-lists';
import { factsCoverage } from './record-facts';

/**
 * Ascending ids of every record not in `minus` (ascending lists), or null for more than `max`;
 * undefined without a complete mirror (the caller reads every id another way). Call inside the
 * caller's read transaction.
 */
export function everyIdExcept(
  db: Database,
  minus: readonly (Uint32Array | Float64Array)[],
  max: number,
): Uint32Array | null | undefined {
  const lists: Uint32Array[] = [];
  for (const m of minus) {
    if (!(m instanceof Uint32Array)) return undefined;
    lists.push(m);
  }
  const coverage = factsCoverage(db);
  const mirror = coverage > 0 && coverage <= 0xffffffff ? factsMirror(db, coverage) : null;
  if (mirror === null) return undefined;
  const above = db
    .prepare('SELECT id FROM records WHERE id > ? ORDER BY id LIMIT ?')
    .pluck()
    .all(coverage, max + 1) as number[];
  if (above.some((id) => id > 0xffffffff)) return undefined;
  const skip = lists.reduce<Uint32Array>((acc, m) => mergeDistinct(acc, m), new Uint32Array(0));
  const { cid } = mirror;
  const top = Math.min(coverage, cid.length - 1);
  const out = new Uint32Array(top + above.length);
  let n = 0;
  let k = 0;
  let next = skip.length > 0 ? skip[0] : Infinity;
  // `next` is the least skipped id >= the one visited: every id is visited in order.
  for (let id = 1; id <= top; id++) {
    if (id === next) {
      next = ++k < skip.length ? skip[k] : Infinity;
      continue;
    }
    if (cid[id] !== 0) out[n++] = id;
  }
  for (const id of above) {
    while (next < id) next = ++k < skip.length ? skip[k] : Infinity;
    if (id !== next) out[n++] = id;
  }
  return n > max ? null : out.subarray(0, n);
}
