/**
 * Searches matching most of the case, answered through the aggregate reader's complete mirror of
 * record_facts: every id read from the mirror (plus the records above record_facts' coverage), a
 * negated free word subtracted in place, ids sorted by marking, and facets and histograms tallied
 * per combo without per-record arrays. Each step checks the id set itself (the exact ascending ids
 * of brute force) and count, facets and histograms against brute force, and that the mirror path
 * was the one taken.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { removeImport } from '../../main/engine/import/remove';
import { getFacets } from '../../main/engine/query/facets';
import { enableFactsMemory, stepFactsMemory } from '../../main/engine/query/facts-memory';
import { factRowCount } from '../../main/engine/query/facts-read';
import { getHistogram } from '../../main/engine/query/histogram';
import { countRows, matchIds } from '../../main/engine/query/paging';
import { factsCoverage, idSetCombos } from '../../main/engine/query/record-facts';
import { importFiles, workspace, writeCsvFiles } from './import-fixture';
import {
  bruteCount,
  bruteFacets,
  bruteHistogram,
  bruteIds,
  facetsOf,
  leaveFactsPending,
} from './summary-brute';

const FILTERS: readonly FilterModel[] = [
  { q: '-jane' },
  { q: '-jane -mueller' },
  { q: '-jane status:ok' },
  { q: '-jane -status:error region:DE1' },
  { q: '-mueller domain:gmail.com' },
  { q: '-jane after:2026-10-05 before:2026-10-25', timeZone: 'America/New_York' },
  { q: 'size>30000' },
  { q: 'from:news' },
];

function loadAll(reader: Database): void {
  while (stepFactsMemory(reader, () => factsCoverage(reader)));
}

function checkExact(reader: Database, writer: Database, label: string, mirrored: boolean): void {
  for (const filter of FILTERS) {
    const what = `${label} ${JSON.stringify(filter)}`;
    const ids = matchIds(reader, filter);
    const expected = bruteIds(writer, filter);
    assert.ok(expected.length > 0, `${what}: matches something`);
    if (mirrored) {
      assert.ok(ids !== null, `${what}: one id set`);
      assert.deepEqual([...ids.list], expected, `${what}: the ids, ascending, once each`);
      const combos = idSetCombos(reader, ids);
      // Rows are kept unless records above the coverage were read too; then the mirror must have been read.
      if (combos?.rows !== undefined) {
        assert.equal(combos.rows.kind, 'mirror', `${what}: counted through the mirror`);
        assert.equal(
          factRowCount(combos.rows),
          expected.filter((id) => id <= factsCoverage(reader)).length,
          `${what}: covered rows`,
        );
      }
    }
    assert.equal(countRows(reader, filter), expected.length, `count ${what}`);
    assert.equal(countRows(reader, filter), bruteCount(writer, filter), `brute count ${what}`);
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

test('broad searches through the complete mirror equal brute force: append, removal, records pending', async () => {
  const w = workspace();
  const files = writeCsvFiles(w.dir, [
    { rows: 3000, seed: 51, startMs: Date.UTC(2026, 9, 1) },
    { rows: 2000, seed: 52, startMs: Date.UTC(2026, 9, 10) },
    { rows: 800, seed: 53, startMs: Date.UTC(2026, 9, 20) },
  ]);
  await importFiles(w.db, files.slice(0, 2));
  const reader = openDatabase(w.dbPath, { readonly: true });
  try {
    enableFactsMemory(reader);
    loadAll(reader);
    checkExact(reader, w.db, 'two imports', true);

    // Fewer new records than one mirror step: the request loads them itself.
    await importFiles(w.db, files.slice(2));
    checkExact(reader, w.db, 'after an append', true);

    // The middle import removed: ids have a gap, the mirror is dropped, the SQL path answers, then reloaded.
    const middle = w.db
      .prepare('SELECT id FROM imports ORDER BY id LIMIT 1 OFFSET 1')
      .pluck()
      .get() as number;
    await removeImport(w.db, middle, new AbortController().signal);
    checkExact(reader, w.db, 'after a removal, mirror not reloaded', false);
    loadAll(reader);
    checkExact(reader, w.db, 'after a removal, mirror reloaded', true);

    // Records above record_facts' coverage with the mirror complete up to it: every id is the
    // mirror's up to the coverage and the table's above it.
    const upto = leaveFactsPending(w.db, 1200);
    loadAll(reader);
    assert.equal(factsCoverage(reader), upto);
    checkExact(reader, w.db, 'records pending', true);
  } finally {
    reader.close();
    w.cleanup();
  }
});
