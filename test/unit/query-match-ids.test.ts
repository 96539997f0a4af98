/**
 * Filters no summary answers (free words, addresses, enhanced SMTP codes, sizes) share one id set for
 * count, histogram and facets (match-ids.ts): every answer equals a brute-force pass over the records,
 * also after an append (the cached ids must not outlive the data) and for records the search
 * vocabulary does not cover yet; the cache tells time zones apart.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import { generateRows, toCsv } from '../../bench/generate';
import type { FilterModel } from '../../common/contract';
import { getFacets } from '../../main/engine/query/facets';
import { getHistogram } from '../../main/engine/query/histogram';
import { findMatchIds } from '../../main/engine/query/match-ids';
import { countRows, matchIds } from '../../main/engine/query/paging';
import { importFiles, workspace } from './import-fixture';
import { bruteCount, bruteFacets, bruteHistogram, facetsOf } from './summary-brute';

const FILTERS: readonly FilterModel[] = [
  { q: 'jane' },
  { q: 'to:max.weber1' },
  { q: 'smtp:5.1.1' },
  { q: 'size>20000' },
  { q: 'jane status:error' },
  { q: 'to:anna -domain:web.de' },
  { q: 'mueller after:2026-10-20', timeZone: 'Asia/Kolkata' },
  { q: 'mueller after:2026-10-20' },
  { q: 'nobody-matches-this' },
  { conditions: [{ type: 'text', column: 'message_to', op: 'startsWith', value: 'lea.' }] },
];

function checkAll(db: Database, label: string): void {
  for (const filter of FILTERS) {
    const what = `${label} ${JSON.stringify(filter)}`;
    assert.notEqual(matchIds(db, filter), null, `${what}: answered from the id set`);
    assert.equal(countRows(db, filter), bruteCount(db, filter), `count ${what}`);
    assert.deepEqual(facetsOf(getFacets(db, filter, 1000)), bruteFacets(db, filter), `facets ${what}`);
    for (const buckets of [60, 500])
      assert.deepEqual(
        getHistogram(db, filter, buckets),
        bruteHistogram(db, filter, buckets),
        `histogram ${what}`,
      );
  }
}

test('count, facets and histogram of an id set equal brute force, before and after an append', async () => {
  const w = workspace();
  try {
    const a = path.join(w.dir, 'a.csv');
    writeFileSync(a, toCsv(generateRows({ rows: 5000, seed: 42 })));
    await importFiles(w.db, [a]);
    checkAll(w.db, 'one import');
    // The same connection appends: its cached ids and counts must go (total_changes moves).
    const b = path.join(w.dir, 'b.csv');
    writeFileSync(b, toCsv(generateRows({ rows: 2000, seed: 9, startMs: Date.UTC(2026, 9, 15) })));
    const before = countRows(w.db, { q: 'jane' });
    await importFiles(w.db, [b]);
    assert.ok(countRows(w.db, { q: 'jane' }) > before, 'the append added matches');
    checkAll(w.db, 'after an append');
    // Records the vocabulary does not cover yet are found by LIKE over their id range.
    w.db.exec("UPDATE meta SET value = '4000' WHERE key = 'search_index_upto'");
    w.db.exec(
      "UPDATE meta SET value = (SELECT row_key FROM records WHERE id = 4000) WHERE key = 'search_index_mark'",
    );
    checkAll(w.db, 'vocabulary behind');
  } finally {
    w.cleanup();
  }
});

test('more matches than the limit give no id set, and the ordinary plans answer', async () => {
  const w = workspace();
  try {
    const a = path.join(w.dir, 'a.csv');
    writeFileSync(a, toCsv(generateRows({ rows: 3000, seed: 5 })));
    await importFiles(w.db, [a]);
    assert.equal(findMatchIds(w.db, { q: '-jane' }, 100), null);
    assert.equal(findMatchIds(w.db, {}), null, 'no filter: nothing to collect');
    const few = findMatchIds(w.db, { q: 'to:max.weber1' }, 100_000);
    assert.ok(few !== null && few.count === bruteCount(w.db, { q: 'to:max.weber1' }));
  } finally {
    w.cleanup();
  }
});
