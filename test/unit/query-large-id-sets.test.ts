/**
 * Filters that match most of the case (a negated free word, a size bound, a sender substring, a grid
 * column filter) are answered from one id set when the reader's mirror of record_facts is complete:
 * the id-set cap is raised there (and only there), and count, facets and histogram stay those of
 * brute force; a negated free word is its id set subtracted from the rest's. A size bound is compared, not walked in records_size (that walk read each match's row
 * by a seek: 7.9 s for a histogram at 1M rows).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateRows, toCsv } from '../../bench/generate';
import type { FilterModel } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { getFacets } from '../../main/engine/query/facets';
import { enableFactsMemory, stepFactsMemory } from '../../main/engine/query/facts-memory';
import { compileWhere } from '../../main/engine/query/filter';
import { getHistogram } from '../../main/engine/query/histogram';
import {
  idSetCap,
  MAX_MATCH_IDS,
  MAX_MATCH_IDS_FACTS,
  MAX_MATCH_IDS_MIRROR,
} from '../../main/engine/query/match-ids';
import { countRows, matchIds } from '../../main/engine/query/paging';
import { factsCoverage } from '../../main/engine/query/record-facts';
import { importFiles, workspace } from './import-fixture';
import { bruteCount, bruteFacets, bruteHistogram, facetsOf, leaveFactsPending } from './summary-brute';

const BROAD: readonly FilterModel[] = [
  { q: '-jane' },
  { q: 'size>50000' },
  { q: 'from:news' },
  { q: '-gmail status:ok' },
  { q: '-jane -gmail' },
  { q: '-"jane" after:2026-10-03 -status:error', timeZone: 'Asia/Kolkata' },
  { q: 'status:ok -mueller', conditions: [{ column: 'message_size', type: 'number', max: 90000 }] },
  { conditions: [{ column: 'message_size', type: 'number', min: 20000 }] },
];

test('with the mirror complete, broad filters are one id set and answer exactly', async () => {
  const w = workspace();
  const file = path.join(w.dir, 'a.csv');
  writeFileSync(file, toCsv(generateRows({ rows: 4000, seed: 31 })));
  await importFiles(w.db, [file]);
  const reader = openDatabase(w.dbPath, { readonly: true });
  try {
    assert.equal(idSetCap(w.db), MAX_MATCH_IDS_FACTS, 'record_facts covers the case, no mirror');
    enableFactsMemory(reader);
    assert.equal(idSetCap(reader), MAX_MATCH_IDS_FACTS, 'mirror enabled but not loaded');
    while (stepFactsMemory(reader, () => factsCoverage(reader)));
    assert.equal(idSetCap(reader), MAX_MATCH_IDS_MIRROR, 'mirror complete');
    for (const filter of BROAD) {
      const what = JSON.stringify(filter);
      const total = bruteCount(w.db, filter);
      assert.ok(total > 1000, `${what} matches much of the case (${total})`);
      assert.equal(matchIds(reader, filter)?.count, total, `${what}: one id set`);
      assert.equal(countRows(reader, filter), total, `count ${what}`);
      assert.deepEqual(
        facetsOf(getFacets(reader, filter, 1000)),
        bruteFacets(w.db, filter),
        `facets ${what}`,
      );
      for (const buckets of [60, 500])
        assert.deepEqual(
          getHistogram(reader, filter, buckets),
          bruteHistogram(w.db, filter, buckets),
          `histogram ${what} (${buckets})`,
        );
    }
    // Records above record_facts' coverage (as the writer leaves it between two chunks): every id is
    // record_facts' up to the coverage and the table's above it.
    const upto = leaveFactsPending(w.db, 2500);
    assert.equal(factsCoverage(reader), upto);
    for (const filter of [{ q: '-jane' }, { q: '-gmail -mueller' }]) {
      const what = `pending ${JSON.stringify(filter)}`;
      assert.equal(countRows(reader, filter), bruteCount(w.db, filter), `count ${what}`);
      assert.deepEqual(
        facetsOf(getFacets(reader, filter, 1000)),
        bruteFacets(w.db, filter),
        `facets ${what}`,
      );
      assert.deepEqual(
        getHistogram(reader, filter, 60),
        bruteHistogram(w.db, filter, 60),
        `histogram ${what}`,
      );
    }
    // An empty case: no record_facts, the smallest cap.
    const e = workspace();
    try {
      assert.equal(idSetCap(e.db), MAX_MATCH_IDS);
    } finally {
      e.cleanup();
    }
  } finally {
    reader.close();
    w.cleanup();
  }
});

test('a size bound is compared in the table, not walked in the size index', async () => {
  const w = workspace();
  try {
    const file = path.join(w.dir, 'a.csv');
    writeFileSync(file, toCsv(generateRows({ rows: 500, seed: 32 })));
    await importFiles(w.db, [file]);
    assert.ok(
      w.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'records_size'").get() !== undefined,
      'the size index exists (sorts use it)',
    );
    const where = compileWhere({ q: 'size>50000' });
    const plan = (
      w.db
        .prepare(`EXPLAIN QUERY PLAN SELECT creation_time_ms FROM records WHERE ${where.sql}`)
        .all(...where.params) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join('; ');
    assert.doesNotMatch(plan, /records_size/, plan);
  } finally {
    w.cleanup();
  }
});
