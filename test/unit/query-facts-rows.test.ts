/**
 * The histogram of an id set is counted from the times and outcomes that the facets' pass over
 * record_facts also returns (facts-read.ts), instead of a second pass over the ids in SQL: checked
 * against brute force in zones with half- and quarter-hour offsets and DST, at bucket counts down to
 * minutes, and unit by unit against the SQL pass itself.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateRows, toCsv } from '../../bench/generate';
import type { FilterModel } from '../../common/contract';
import type { BucketCounts } from '../../main/engine/query/histogram-summary';
import { getHistogram } from '../../main/engine/query/histogram';
import { factRowCount } from '../../main/engine/query/facts-read';
import { findMatchIds } from '../../main/engine/query/match-ids';
import { clearQueryCache } from '../../main/engine/query/paging';
import { idSetBuckets, idSetCombos } from '../../main/engine/query/record-facts';
import { importFiles, workspace } from './import-fixture';
import { bruteHistogram } from './summary-brute';

const ZONES = [
  'UTC',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Australia/Eucla',
  'Europe/Berlin',
];
const QUERIES = [
  'jane',
  'smtp:5.1.1',
  'to:anna -domain:web.de',
  'mueller after:2026-10-20 before:2026-10-21',
];
const MIN = 60_000;

const byB = (rows: readonly BucketCounts[]): BucketCounts[] =>
  [...rows].map((r) => ({ ...r })).sort((x, y) => (x.b ?? -1) - (y.b ?? -1));

test('histograms counted from the rows of the facets pass equal brute force and the SQL pass', async () => {
  const w = workspace();
  try {
    const file = path.join(w.dir, 'a.csv');
    writeFileSync(file, toCsv([...generateRows({ rows: 6000, seed: 7 })]));
    await importFiles(w.db, [file]);

    const ids = findMatchIds(w.db, { q: 'jane' });
    assert.ok(ids !== null && ids.count > 100, 'jane has an id set');
    const combos = idSetCombos(w.db, ids);
    assert.ok(combos?.rows !== undefined, 'the combos pass kept the rows');
    assert.equal(factRowCount(combos.rows), ids.count, 'one row per id');
    // A copy of the id set has no cached combos, so idSetBuckets reads the ids a second time.
    const fresh = { ...ids };
    const lo: number = combos.lo ?? 0;
    for (const unitMs of [1000, MIN, 7 * MIN, 15 * MIN, 60 * MIN, 45 * 60 * MIN, 24 * 60 * MIN])
      for (const shift of [0, 5.75 * 60 * MIN, 90 * MIN, 12_345]) {
        const from = lo - shift;
        assert.deepEqual(
          byB(idSetBuckets(w.db, ids, from, unitMs)),
          byB(idSetBuckets(w.db, fresh, from, unitMs)),
          `unit ${unitMs} from ${from}`,
        );
      }

    for (const q of QUERIES)
      for (const timeZone of ZONES)
        for (const buckets of [60, 500, 1000]) {
          const filter: FilterModel = { q, timeZone };
          clearQueryCache(w.db);
          assert.deepEqual(
            getHistogram(w.db, filter, buckets),
            bruteHistogram(w.db, filter, buckets),
            `${q} in ${timeZone}, ${buckets} buckets`,
          );
        }
  } finally {
    w.cleanup();
  }
});
