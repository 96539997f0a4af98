/**
 * The filter matrix on a FRESH case (issue 12, 12n): the workspace exactly as the import section left
 * it, opened through the engine host and searched back to back from the moment its readers have the
 * file open, so the idle load steps (worker/idle-loop.ts: after 250 ms without a request) never run.
 * That is what a user has right after importing: the case file the import wrote, no reader has ever
 * loaded it, and the searches come before any idle moment. Since the import's last phase keeps the
 * readers' memories in the file (import/keep-memories.ts), the aggregate reader restores them when it
 * opens; without them (a case imported before that phase existed, or a kill in it) every search
 * here took the SQL path.
 *
 * Runs right after the import section, before any other section opens the case (a host left idle
 * writes its own copies into memory_cache, which would no longer be the import's). Reports the worst
 * of all four together, histogram alone and facets alone against the matrix targets (bench/matrix.ts),
 * the first search's figure on its own (each of its four requests logged) with the host's start
 * before it, the same for the case opened again after the matrix (a warm reopen), and the time until
 * the memories are complete, measured on a connection of its own with the reader's own restore and
 * load steps.
 */
import type { FilterModel } from '../common/contract';
import { openDatabase } from '../main/engine/db/open';
import { enableAddressMemory, stepAddressMemory } from '../main/engine/query/address-memory';
import { enableFactsMemory, stepFactsMemory } from '../main/engine/query/facts-memory';
import { restoreMemories } from '../main/engine/query/memory-cache';
import { factsCoverage } from '../main/engine/query/record-facts';
import { enableValuesMemory, stepValuesMemory } from '../main/engine/query/values-memory';
import { EngineHost } from '../main/engine/worker/host';
import type { BenchContext } from './context';
import { allFour, MATRIX_FILTERS, timed, type FourTimes } from './matrix';

/** Restore and load steps as the aggregate reader runs them, back to back: ms of each, and steps left. */
function memoriesComplete(dbPath: string): {
  restoreMs: number;
  restored: string[];
  stepsMs: number;
  steps: number;
} {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    db.pragma('cache_size = -8192');
    enableFactsMemory(db);
    enableAddressMemory(db);
    enableValuesMemory(db);
    let t0 = performance.now();
    const restored = restoreMemories(db);
    const restoreMs = performance.now() - t0;
    t0 = performance.now();
    let steps = 0;
    const coverage = (): number => factsCoverage(db);
    while (stepFactsMemory(db, coverage) || stepAddressMemory(db) || stepValuesMemory(db, coverage)) steps++;
    return { restoreMs, restored, stepsMs: performance.now() - t0, steps };
  } finally {
    db.close();
  }
}

/** The first search's four requests: ms until each was answered, from sending them together. */
function eachOf(t: FourTimes): string {
  return (['page', 'count', 'facets', 'histogram'] as const).map((k) => `${k} ${t[k].toFixed(0)}`).join(', ');
}

/** The case opened again (as a user reopens it): host start, then the unfiltered search's four. */
async function reopen(dbPath: string): Promise<{ startMs: number; first: number; each: FourTimes }> {
  const t0 = performance.now();
  const host = await EngineHost.start(dbPath);
  const startMs = performance.now() - t0;
  try {
    const each: FourTimes = { page: 0, count: 0, facets: 0, histogram: 0 };
    const first = await allFour(host, {}, each);
    return { startMs, first, each };
  } finally {
    await host.close();
  }
}

export async function benchMatrixFresh(ctx: BenchContext): Promise<void> {
  if (!ctx.dbPath) throw new Error('needs the imported workspace');
  const targets = { together: ctx.rows > 1_000_000 ? 500 : 300, histogram: 300, facets: 300 };
  const t0 = performance.now();
  const host = await EngineHost.start(ctx.dbPath);
  const startMs = performance.now() - t0;
  const each: FourTimes = { page: 0, count: 0, facets: 0, histogram: 0 };
  const worst = { together: { ms: 0, q: '' }, histogram: { ms: 0, q: '' }, facets: { ms: 0, q: '' } };
  const note = (col: keyof typeof worst, ms: number, q: string): void => {
    if (ms > worst[col].ms) worst[col] = { ms, q };
  };
  let first = 0;
  try {
    for (const q of MATRIX_FILTERS) {
      const filter: FilterModel = q === '' ? {} : { q };
      const label = q === '' ? '(none)' : q;
      const together = await allFour(host, filter, q === MATRIX_FILTERS[0] ? each : undefined);
      if (q === MATRIX_FILTERS[0]) first = together;
      // Alone, once each (a fresh case is fresh once), under zone aliases of UTC: same answer, a filter
      // the readers have not cached, so each finds its id set itself.
      const hist = await timed(() =>
        host.invoke('histogram:get', { filter: { ...filter, timeZone: 'Etc/UTC' }, buckets: 60 }),
      );
      const facets = await timed(() =>
        host.invoke('facets:get', { filter: { ...filter, timeZone: 'Etc/GMT' }, top: 10 }),
      );
      ctx.log(
        `fresh ${label.padEnd(42)} histogram ${hist.toFixed(0).padStart(5)} ms  facets ${facets.toFixed(0).padStart(5)} ms  all four together ${together.toFixed(0).padStart(5)} ms`,
      );
      note('together', together, label);
      note('histogram', hist, label);
      note('facets', facets, label);
    }
  } finally {
    await host.close();
  }
  const report = (col: keyof typeof worst, name: string): void =>
    ctx.report({
      name: `fresh: ${name} (worst filter)`,
      value: worst[col].ms,
      unit: 'ms',
      target: `<= ${targets[col]} ms`,
      ok: worst[col].ms <= targets[col],
      note: `${worst[col].q}; ${MATRIX_FILTERS.length} filters back to back from open`,
    });
  report('histogram', 'histogram alone');
  report('facets', 'facets alone');
  report('together', 'page + count + facets + histogram together');
  ctx.log(`first search after open: ${eachOf(each)} ms (each from sending the four)`);
  ctx.report({
    name: 'fresh: first search after open (all four)',
    value: first,
    unit: 'ms',
    target: `<= ${targets.together} ms`,
    ok: first <= targets.together,
    note: `after the host started (${startMs.toFixed(0)} ms, all workers have the case open); the unfiltered search`,
  });
  ctx.report({
    name: 'fresh: host start (workers have the case open)',
    value: startMs,
    unit: 'ms',
    target: 'info',
    ok: true,
    note: `open to first search answered ${(startMs + first).toFixed(0)} ms`,
  });
  const again = await reopen(ctx.dbPath);
  ctx.log(`reopened: host start ${again.startMs.toFixed(0)} ms; first search ${eachOf(again.each)} ms`);
  ctx.report({
    name: 'reopen: first search after open (all four)',
    value: again.first,
    unit: 'ms',
    target: `<= ${targets.together} ms`,
    ok: again.first <= targets.together,
    note: `the case opened again after the matrix; host start ${again.startMs.toFixed(0)} ms before it`,
  });
  const m = memoriesComplete(ctx.dbPath);
  ctx.log(
    `memories: restored ${m.restored.join(', ') || 'none'} in ${m.restoreMs.toFixed(0)} ms; ${m.steps} load steps left, ${m.stepsMs.toFixed(0)} ms back to back`,
  );
  ctx.report({
    name: 'fresh: open to memories complete',
    value: m.restoreMs + m.stepsMs,
    unit: 'ms',
    target: 'info',
    ok: true,
    note: `restore ${m.restoreMs.toFixed(0)} ms + ${m.steps} load steps ${m.stepsMs.toFixed(0)} ms (own connection, the reader's code)`,
  });
}
