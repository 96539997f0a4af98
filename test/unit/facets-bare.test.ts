/**
 * The facets of a common free word on a bare connection (no in-memory mirror: the CLI's path) read
 * less, and must stay exact: a substring too common for the vocabulary is read from the address
 * column's partial index (covering-scan.ts), matching every record whose address holds it in any
 * case and none without an address, and the plan must be that index, not a pass over the table
 * (what the change is for); an id set is joined to record_facts in its order (record-facts.ts),
 * each record counted once whatever order or repeats the list has.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateRows, toCsv } from '../../bench/generate';
import type { FilterModel } from '../../common/contract';
import { getFacetsWithPlan, type FacetTuning } from '../../main/engine/query/facets';
import { compileWhere } from '../../main/engine/query/filter';
import { findMatchIds, idSet } from '../../main/engine/query/match-ids';
import { idSetCombos, updateRecordFacts } from '../../main/engine/query/record-facts';
import { createResolver } from '../../main/engine/query/resolver';
import { importFiles, workspace } from './import-fixture';
import { bruteCount, bruteFacets, facetsOf } from './summary-brute';

/**
 * Low enough that `jane` and `e` count as common in the address column of 4000 rows. For the plan,
 * the resolver counts every candidate (no "common everywhere" cut-off, which sends a free word to a
 * LIKE over the table since the sender has no index); the facets use their own thresholds.
 */
const COMMON: FacetTuning = { maxValues: 5, fewRows: 20, ids: false };

test('a common address substring read from the partial index matches exactly what a LIKE over the table does', async () => {
  const w = workspace();
  try {
    const a = path.join(w.dir, 'a.csv');
    writeFileSync(a, toCsv(generateRows({ rows: 4000, seed: 7 })));
    await importFiles(w.db, [a]);
    // Addresses in other cases, empty and missing: LIKE folds ASCII case, and NULL never matches.
    w.db.exec(`UPDATE records SET message_to = upper(message_to) WHERE id % 7 = 0;
      UPDATE records SET message_to = '' WHERE id % 11 = 0;
      UPDATE records SET message_to = NULL WHERE id % 13 = 0;
      UPDATE records SET message_to = 'JaNe.X@Example.COM' WHERE id % 17 = 0`);
    const filters: FilterModel[] = [
      { q: 'jane' },
      { q: 'to:JANE' },
      { q: 'to:e' },
      { q: 'jane status:error' },
    ];
    for (const filter of filters) {
      const what = JSON.stringify(filter);
      const resolver = { ...createResolver(w.db, COMMON.maxValues, 1_000_000), visitsAll: true };
      const where = compileWhere(filter, resolver);
      const plan = (
        w.db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM records WHERE ${where.sql}`).all(...where.params) as {
          detail: string;
        }[]
      )
        .map((s) => s.detail)
        .join('\n');
      assert.match(plan, /COVERING INDEX records_to\b/, `${what}: read from records_to (${where.sql})`);
      const ids = w.db
        .prepare(`SELECT id FROM records WHERE ${where.sql} ORDER BY id`)
        .pluck()
        .all(...where.params);
      // Brute force: the filter without resolver (plain LIKEs) over the table alone.
      const plain = compileWhere(filter);
      const brute = w.db
        .prepare(`SELECT id FROM records NOT INDEXED WHERE ${plain.sql} ORDER BY id`)
        .pluck()
        .all(...plain.params);
      assert.ok(brute.length > 0, `${what}: the case has matches`);
      assert.deepEqual(ids, brute, `${what}: ids`);
      const { facets } = getFacetsWithPlan(w.db, filter, 1000, COMMON);
      assert.deepEqual(facetsOf(facets), bruteFacets(w.db, filter), `${what}: facets`);
    }
  } finally {
    w.cleanup();
  }
});

test('an id set read from record_facts counts each record once, in any order and with repeats', async () => {
  const w = workspace();
  try {
    const a = path.join(w.dir, 'a.csv');
    writeFileSync(a, toCsv(generateRows({ rows: 3000, seed: 3 })));
    await importFiles(w.db, [a]);
    updateRecordFacts(w.db);
    const ids = findMatchIds(w.db, { q: 'jane' });
    assert.ok(ids !== null && ids.count > 10, 'the case has matches');
    // Ascending (the join, record-facts.ts) against reversed with every id twice (the IN list).
    const twice = Uint32Array.from([...ids.list].reverse().flatMap((id) => [id, id]));
    const sorted = (s: ReturnType<typeof idSetCombos>): string[] =>
      (s?.combos ?? []).map((c) => JSON.stringify(c)).sort();
    const joined = idSetCombos(w.db, ids);
    const listed = idSetCombos(w.db, idSet(twice));
    assert.deepEqual(sorted(joined), sorted(listed));
    assert.equal(
      joined?.combos.reduce((n, c) => n + c[7], 0),
      bruteCount(w.db, { q: 'jane' }),
      'one count per matching record',
    );
    assert.deepEqual([joined?.lo, joined?.hi], [listed?.lo, listed?.hi]);
  } finally {
    w.cleanup();
  }
});
