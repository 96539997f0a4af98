/**
 * The aggregate reader's in-memory mirror of record_facts (facts-memory.ts) gives the same counts,
 * facets and histograms as brute force: once loaded, after an append (a small delta loaded within
 * the request), after a removal (the mirror of the old combo ids is dropped, then loaded again) and
 * with records pending above record_facts' coverage. Each step also checks that the mirror was
 * the path taken, so a mirror that silently fell back to SQL would fail here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { removeImport } from '../../main/engine/import/remove';
import { getFacets } from '../../main/engine/query/facets';
import { enableFactsMemory, factsMirror, stepFactsMemory } from '../../main/engine/query/facts-memory';
import { mirrorFactRows } from '../../main/engine/query/facts-read';
import { getHistogram } from '../../main/engine/query/histogram';
import { countRows, matchIds } from '../../main/engine/query/paging';
import { factsCoverage } from '../../main/engine/query/record-facts';
import { importFiles, workspace, writeCsvFiles } from './import-fixture';
import { bruteCount, bruteFacets, bruteHistogram, facetsOf, leaveFactsPending } from './summary-brute';

const FILTERS: readonly FilterModel[] = [
  { q: 'jane' },
  { q: 'to:max.weber1' },
  { q: 'smtp:5.1.1' },
  { q: 'jane status:error' },
  { q: 'mueller after:2026-10-20', timeZone: 'Asia/Kolkata' },
];

function loadAll(reader: Database): void {
  while (stepFactsMemory(reader, () => factsCoverage(reader)));
}

function checkExact(reader: Database, writer: Database, label: string, mirrored: boolean): void {
  for (const filter of FILTERS) {
    const what = `${label} ${JSON.stringify(filter)}`;
    const ids = matchIds(reader, filter);
    assert.notEqual(ids, null, `${what}: answered from an id set`);
    const mirror = reader.transaction(() => factsMirror(reader, factsCoverage(reader)))();
    if (mirrored) {
      assert.notEqual(mirror, null, `${what}: the mirror is complete`);
      if (mirror !== null && ids !== null)
        assert.notEqual(
          mirrorFactRows(mirror, ids.list, factsCoverage(reader), () => new Map()),
          null,
          `${what}: every covered id is in the mirror`,
        );
    } else assert.equal(mirror, null, `${what}: no mirror of this generation yet`);
    assert.equal(countRows(reader, filter), bruteCount(writer, filter), `count ${what}`);
    assert.deepEqual(
      facetsOf(getFacets(reader, filter, 1000)),
      bruteFacets(writer, filter),
      `facets ${what}`,
    );
    for (const buckets of [60, 500])
      assert.deepEqual(
        getHistogram(reader, filter, buckets),
        bruteHistogram(writer, filter, buckets),
        `histogram ${what} (${buckets})`,
      );
  }
}

test('counts, facets and histograms from the in-memory record_facts equal brute force', async () => {
  const w = workspace();
  const files = writeCsvFiles(w.dir, [
    { rows: 3000, seed: 42, startMs: Date.UTC(2026, 9, 1) },
    { rows: 2000, seed: 7, startMs: Date.UTC(2026, 9, 10) },
    { rows: 1000, seed: 3, startMs: Date.UTC(2026, 9, 20) },
  ]);
  await importFiles(w.db, files.slice(0, 2));
  const reader = openDatabase(w.dbPath, { readonly: true });
  try {
    enableFactsMemory(reader);
    loadAll(reader);
    checkExact(reader, w.db, 'two imports', true);

    // 1000 new records: fewer than one step, loaded by the request itself.
    await importFiles(w.db, files.slice(2));
    checkExact(reader, w.db, 'after an append', true);

    // Removing the middle import empties record_facts and renumbers fact_combos.
    const middle = w.db
      .prepare('SELECT id FROM imports ORDER BY id LIMIT 1 OFFSET 1')
      .pluck()
      .get() as number;
    await removeImport(w.db, middle, new AbortController().signal);
    checkExact(reader, w.db, 'after a removal, mirror not yet reloaded', false);
    loadAll(reader);
    checkExact(reader, w.db, 'after a removal, mirror reloaded', true);

    // Records above record_facts' coverage: covered ones from the mirror, the rest from records.
    const upto = leaveFactsPending(w.db, 1500);
    assert.equal(factsCoverage(reader), upto);
    loadAll(reader);
    checkExact(reader, w.db, 'records pending', true);
  } finally {
    reader.close();
    w.cleanup();
  }
});
