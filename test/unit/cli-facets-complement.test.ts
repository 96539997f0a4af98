/**
 * The CLI's `facets` of a negated search (`-jane`, `status:ok -from:news`) with the kept facts mirror
 * restored is its rest's summaries less the positive search's ids (complement.ts preferComplement),
 * not a pass over every other record: the same facets as brute force, after an append whose records
 * the kept copies do not hold, with NULL and empty values.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { FilterModel } from '../../common/contract';
import { restoreForSearch } from '../../main/cli/kept-memories';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { getFacetsWithPlan } from '../../main/engine/query/facets';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import {
  blankSendersAndSizes,
  importFiles,
  workspace,
  writeCsvFiles,
  type Workspace,
} from './import-fixture';
import { bruteFacets, facetsOf } from './summary-brute';

/** Facets and plan on a fresh read-only connection, as the CLI's facets command answers them. */
function cliFacets(w: Workspace, filter: FilterModel): { plan: string; restored: string[]; facets: unknown } {
  const db = openDatabase(w.dbPath, { readonly: true });
  try {
    const restored = restoreForSearch(db, filter, 'facets');
    const { facets, plan } = getFacetsWithPlan(db, filter, 1000);
    return { plan, restored, facets: facetsOf(facets) };
  } finally {
    db.close();
  }
}

test('the CLI facets of a negated word take the complement with the mirror restored, exactly', async () => {
  const w = workspace();
  const files = writeCsvFiles(w.dir, [
    { rows: 2500, seed: 121, startMs: Date.UTC(2026, 9, 1) },
    { rows: 900, seed: 122, startMs: Date.UTC(2026, 9, 15) },
  ]);
  try {
    await importFiles(w.db, files.slice(0, 1), { keepMemories: false });
    blankSendersAndSizes(w.db);
    updateSearchIndex(w.db);
    keepMemories(w.db);
    const check = (label: string): void => {
      for (const q of ['-jane', 'status:ok -jane', '-from:news -jane', 'status:error -size>25000'] as const) {
        const filter: FilterModel = { q };
        const got = cliFacets(w, filter);
        assert.ok(got.restored.includes('facts'), `${label} ${q}: the facts mirror is restored`);
        assert.equal(got.plan, 'complement', `${label} ${q}: plan`);
        assert.deepEqual(got.facets, bruteFacets(w.db, filter), `${label} ${q}`);
      }
    };
    check('kept copies');
    // An append without its memories phase: the kept copies end below the new records.
    await importFiles(w.db, files.slice(1), { keepMemories: false });
    updateSearchIndex(w.db);
    check('after an append');

    const terms = [
      'jane',
      'from:news',
      'size>25000',
      'status:ok',
      'to:max',
      'after:2026-10-10',
      'region:DE1',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(terms, { minLength: 1, maxLength: 3 }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        (picked, negate) => {
          const q = picked.map((t, i) => (negate[i] === true ? `-${t}` : t)).join(' ');
          assert.deepEqual(cliFacets(w, { q }).facets, bruteFacets(w.db, { q }), q);
          return Promise.resolve();
        },
      ),
      { numRuns: 40 },
    );
  } finally {
    w.cleanup();
  }
});
