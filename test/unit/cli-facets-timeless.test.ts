/**
 * The CLI's facets of a search without time terms restore the kept facts mirror without its times
 * (cli/kept-memories.ts factsWithoutTimes, memory-cache.ts restoreFactCombos): the facets count each
 * id set's records by combo from it, exactly as brute force; every reader of times on that connection
 * (histogram, time terms) takes its SQL path and stays exact. Checked with current copies, with copies
 * an append left behind (the delta loaded into the combo ids alone), after a removal (no copy fits)
 * and kept again, with NULL and empty values.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { FilterModel } from '../../common/contract';
import { factsWithoutTimes, restoreForSearch } from '../../main/cli/kept-memories';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { removeImport } from '../../main/engine/import/remove';
import { countRows, getFacets, getHistogram } from '../../main/engine/query';
import { factsMirror } from '../../main/engine/query/facts-memory';
import { factsCoverage } from '../../main/engine/query/record-facts';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import {
  blankSendersAndSizes,
  importFiles,
  workspace,
  writeCsvFiles,
  type Workspace,
} from './import-fixture';
import { bruteCount, bruteFacets, bruteHistogram, facetsOf } from './summary-brute';

const TERMS = ['jane', 'anna', 'from:news', 'size>25000', 'status:ok', 'to:max', 'region:DE1'] as const;

/** Whether the connection's facts mirror holds times: null without a mirror. */
function mirrorTimes(db: ReturnType<typeof openDatabase>): boolean | null {
  const m = db.transaction(() => factsMirror(db, factsCoverage(db)))();
  return m === null ? null : m.t !== null;
}

/** Facets on a fresh read-only connection as the CLI's facets command answers them, then its histogram and count. */
function checkQuery(w: Workspace, q: string, label: string, kept: boolean): void {
  const filter: FilterModel = { q };
  const db = openDatabase(w.dbPath, { readonly: true });
  try {
    const restored = restoreForSearch(db, filter, 'facets');
    if (restored.includes('facts'))
      assert.equal(mirrorTimes(db), false, `${label} ${q}: the mirror is restored without its times`);
    else assert.ok(!kept || !/jane|anna|from:|size/.test(q), `${label} ${q}: restored ${restored.join()}`);
    assert.deepEqual(
      facetsOf(getFacets(db, filter, 1000)),
      bruteFacets(w.db, filter),
      `${label} facets ${q}`,
    );
    assert.deepEqual(
      getHistogram(db, filter, 60),
      bruteHistogram(w.db, filter, 60),
      `${label} histogram ${q}`,
    );
    assert.equal(countRows(db, filter), bruteCount(w.db, filter), `${label} count ${q}`);
  } finally {
    db.close();
  }
}

function checkAll(w: Workspace, label: string, kept: boolean): void {
  fc.assert(
    fc.property(
      fc.subarray([...TERMS], { minLength: 1, maxLength: 3 }),
      fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      (picked, negate) => {
        checkQuery(w, picked.map((t, i) => (negate[i] === true ? `-${t}` : t)).join(' '), label, kept);
      },
    ),
    { numRuns: 25, seed: 1401 },
  );
  for (const q of ['jane', '-jane', 'jane anna', '-jane -anna']) checkQuery(w, q, label, kept);
}

test('only facets without a time term leave the kept times unread', () => {
  assert.equal(factsWithoutTimes({ q: 'jane' }, 'facets'), true);
  assert.equal(factsWithoutTimes({ q: '-jane from:news size>100' }, 'facets'), true);
  assert.equal(factsWithoutTimes({ q: 'jane after:2026-10-05' }, 'facets'), false);
  assert.equal(factsWithoutTimes({ q: 'jane before:2026-10-05' }, 'facets'), false);
  assert.equal(factsWithoutTimes({ q: 'jane' }, 'count'), false);
  assert.equal(factsWithoutTimes({ q: 'from:news' }, 'query'), false);
  assert.equal(factsWithoutTimes({ q: 'size>' }, 'facets'), false, 'a syntax error restores nothing');
});

test('the CLI facets from the mirror without times equal brute force, and so do the times read beside', async () => {
  const w = workspace();
  const files = writeCsvFiles(w.dir, [
    { rows: 2200, seed: 141, startMs: Date.UTC(2026, 9, 1) },
    { rows: 1200, seed: 142, startMs: Date.UTC(2026, 9, 12) },
    { rows: 600, seed: 143, startMs: Date.UTC(2026, 9, 22) },
  ]);
  try {
    await importFiles(w.db, files.slice(0, 2), { keepMemories: false });
    blankSendersAndSizes(w.db);
    updateSearchIndex(w.db);
    keepMemories(w.db);
    checkAll(w, 'current copies', true);

    // The copies hold the records before the append: the rest is loaded into the combo ids alone.
    await importFiles(w.db, files.slice(2), { keepMemories: false });
    updateSearchIndex(w.db);
    checkAll(w, 'copies behind an append', true);

    // A removal: the copies are another generation's, none is taken.
    const first = w.db.prepare('SELECT min(id) FROM imports').pluck().get() as number;
    await removeImport(w.db, first, new AbortController().signal);
    updateSearchIndex(w.db);
    checkAll(w, 'after a removal', false);

    keepMemories(w.db);
    checkAll(w, 'kept again', true);
  } finally {
    w.cleanup();
  }
});
