/**
 * `from:` and `size` terms answered from the aggregate reader's memory of senders and sizes
 * (values-memory.ts, value-terms.ts): alone (every record from the facts mirror), with other terms
 * (their id set filtered), negated, ORed, as ranges, on records without a sender or size, after an
 * append, after an import is removed and with records above record_facts' coverage. Each filter's ids
 * are checked against brute force, and count, facets and histograms too; that the memory path was
 * taken is checked by calling it directly.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { removeImport } from '../../main/engine/import/remove';
import { getFacets } from '../../main/engine/query/facets';
import { enableFactsMemory, stepFactsMemory } from '../../main/engine/query/facts-memory';
import { getHistogram } from '../../main/engine/query/histogram';
import { countRows, matchIds } from '../../main/engine/query/paging';
import { factsCoverage } from '../../main/engine/query/record-facts';
import { valueTermIds } from '../../main/engine/query/value-terms';
import { enableValuesMemory, stepValuesMemory } from '../../main/engine/query/values-memory';
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
  { q: 'from:news' },
  // Case-insensitive as LIKE is; a substring in the middle; `_` literal (no sender holds it).
  { q: 'from:NEWS@mail' },
  { q: 'from:example.com' },
  { q: 'from:_' },
  // The same field twice ORs; a negation ANDs and keeps records without a sender.
  { q: 'from:news from:billing' },
  { q: '-from:news' },
  { q: '-from:news -from:alerts' },
  { q: 'size>30000' },
  { q: 'size<5000' },
  { q: 'size>=20000 size<=40000' },
  { q: '-size>30000' },
  { q: 'size:12345' },
  // With other terms: their id set (an enum, a time range, a free word, a negated word) filtered.
  { q: 'status:ok from:news size>10000' },
  { q: 'from:alerts after:2026-10-05 before:2026-10-25', timeZone: 'America/New_York' },
  { q: 'jane from:news' },
  { q: '-jane -from:news size<40000' },
  { q: 'from:news', conditions: [{ type: 'number', column: 'message_size', min: 20000 }] },
];

function loadAll(reader: Database): void {
  while (stepFactsMemory(reader, () => factsCoverage(reader)));
  while (stepValuesMemory(reader, () => factsCoverage(reader)));
}

/** The memory path's ids (undefined: it declined), the rest's ids given by brute force. */
function memoryIds(reader: Database, writer: Database, filter: FilterModel): number[] | undefined {
  return reader.transaction(() => {
    const ids = valueTermIds(reader, filter, (rest) => Uint32Array.from(bruteIds(writer, rest)));
    return ids === null || ids === undefined ? undefined : [...ids];
  })();
}

function checkExact(reader: Database, writer: Database, label: string, inMemory: boolean): void {
  for (const filter of FILTERS) {
    const what = `${label} ${JSON.stringify(filter)}`;
    const expected = bruteIds(writer, filter);
    if (inMemory) assert.deepEqual(memoryIds(reader, writer, filter), expected, `${what}: from memory`);
    else assert.equal(memoryIds(reader, writer, filter), undefined, `${what}: the SQL path answers`);
    const ids = matchIds(reader, filter);
    if (ids !== null) assert.deepEqual([...ids.list], expected, `${what}: the id set`);
    assert.equal(countRows(reader, filter), expected.length, `count ${what}`);
    assert.equal(countRows(reader, filter), bruteCount(writer, filter), `brute count ${what}`);
    assert.deepEqual(
      facetsOf(getFacets(reader, filter, 1000)),
      bruteFacets(writer, filter),
      `facets ${what}`,
    );
    assert.deepEqual(
      getHistogram(reader, filter, 60),
      bruteHistogram(writer, filter, 60),
      `histogram ${what}`,
    );
  }
}

test('from: and size terms from memory equal brute force: append, removal, records pending', async () => {
  const w = workspace();
  const files = writeCsvFiles(w.dir, [
    { rows: 3000, seed: 61, startMs: Date.UTC(2026, 9, 1) },
    { rows: 2000, seed: 62, startMs: Date.UTC(2026, 9, 10) },
    { rows: 800, seed: 63, startMs: Date.UTC(2026, 9, 20) },
  ]);
  await importFiles(w.db, files.slice(0, 2));
  // Records without a sender or a size, a sender in other case and one size hit exactly, written
  // before any reader holds them (imported records are not changed afterwards).
  w.db.exec(`UPDATE records SET message_size = NULL WHERE id % 17 = 0;
    UPDATE records SET message_from = NULL WHERE id % 23 = 0;
    UPDATE records SET message_from = 'NEWS@Mail.Example.com' WHERE id % 29 = 0;
    UPDATE records SET message_size = 12345 WHERE id % 31 = 0`);
  const reader = openDatabase(w.dbPath, { readonly: true });
  try {
    enableFactsMemory(reader);
    enableValuesMemory(reader);
    for (const filter of FILTERS)
      assert.ok(
        bruteIds(w.db, filter).length > 0 || filter.q === 'from:_',
        `${JSON.stringify(filter)} matches`,
      );
    loadAll(reader);
    checkExact(reader, w.db, 'two imports', true);

    // Fewer new records than one step: the request loads them itself.
    await importFiles(w.db, files.slice(2));
    checkExact(reader, w.db, 'after an append', true);

    // The middle import removed: the mirror is of another generation, the SQL path answers, then reloaded.
    const middle = w.db
      .prepare('SELECT id FROM imports ORDER BY id LIMIT 1 OFFSET 1')
      .pluck()
      .get() as number;
    await removeImport(w.db, middle, new AbortController().signal);
    checkExact(reader, w.db, 'after a removal, not reloaded', false);
    loadAll(reader);
    checkExact(reader, w.db, 'after a removal, reloaded', true);

    // Records above record_facts' coverage (an import whose update is pending): the SQL path.
    leaveFactsPending(w.db, 1200);
    loadAll(reader);
    checkExact(reader, w.db, 'records pending', false);
  } finally {
    reader.close();
    w.cleanup();
  }
});
