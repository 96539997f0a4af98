/**
 * The readers' per-search caches (paging.ts) outlive a settings write (the renderer writes its recent
 * searches and column layout while a search is answered; dropping the caches made `jane` find its id
 * set three times per search) and never outlive a change of the records: an append, a removal of an
 * import, a deletion that leaves max(id) as it was. Every answer is checked against brute force.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { removeImport } from '../../main/engine/import/remove';
import { getFacets } from '../../main/engine/query/facets';
import { getHistogram } from '../../main/engine/query/histogram';
import { countRows, matchIds } from '../../main/engine/query/paging';
import { bumpRecordsGeneration } from '../../main/engine/query/records-generation';
import { setSetting } from '../../main/engine/workspace';
import { importFiles, workspace, writeCsvFiles } from './import-fixture';
import { bruteCount, bruteFacets, bruteHistogram, facetsOf } from './summary-brute';

const JANE: FilterModel = { q: 'jane' };
const FILTERS: readonly FilterModel[] = [JANE, { q: 'to:max.weber1' }, { q: 'status:error' }, {}];

function checkExact(reader: Database, writer: Database, label: string): void {
  for (const filter of FILTERS) {
    const what = `${label} ${JSON.stringify(filter)}`;
    assert.equal(countRows(reader, filter), bruteCount(writer, filter), `count ${what}`);
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

test('a settings write keeps a reader id set; appends, removals and deletions change its answers', async () => {
  const w = workspace();
  const files = writeCsvFiles(w.dir, [
    { rows: 3000, seed: 42, startMs: Date.UTC(2026, 9, 1) },
    { rows: 2000, seed: 7, startMs: Date.UTC(2026, 9, 10) },
    { rows: 1000, seed: 3, startMs: Date.UTC(2026, 9, 20) },
  ]);
  await importFiles(w.db, files.slice(0, 2));
  // A reader connection of its own, as the engine's reader threads have: the writer's commits reach
  // it only through the database file.
  const reader = openDatabase(w.dbPath, { readonly: true });
  try {
    checkExact(reader, w.db, 'two imports');
    const ids = matchIds(reader, JANE);
    assert.notEqual(ids, null, 'jane is answered from an id set');

    setSetting(w.db, 'search.recent', JSON.stringify(['jane']));
    setSetting(w.db, 'grid.columnState', '[]');
    assert.equal(matchIds(reader, JANE), ids, 'the id set outlives settings writes (not found again)');
    checkExact(reader, w.db, 'after settings writes');

    const before = countRows(reader, JANE);
    await importFiles(w.db, files.slice(2));
    assert.ok(countRows(reader, JANE) > before, 'the append added matches');
    assert.notEqual(matchIds(reader, JANE), ids, 'the append made the id set be found again');
    checkExact(reader, w.db, 'after an append');

    // The middle import: the records on top stay, so max(id) does not move.
    const top = reader.prepare('SELECT max(id) FROM records').pluck().get();
    const middle = w.db
      .prepare('SELECT id FROM imports ORDER BY id LIMIT 1 OFFSET 1')
      .pluck()
      .get() as number;
    const withMiddle = countRows(reader, JANE);
    await removeImport(w.db, middle, new AbortController().signal);
    assert.equal(reader.prepare('SELECT max(id) FROM records').pluck().get(), top);
    assert.ok(countRows(reader, JANE) < withMiddle, 'the removal took matches away');
    checkExact(reader, w.db, 'after removing the middle import');

    // A deletion that changes neither max(id) nor any coverage in meta: only the generation tells.
    const warm = countRows(reader, JANE);
    const victim = w.db
      .prepare("SELECT id FROM records WHERE message_to LIKE '%jane%' AND id < ? ORDER BY id LIMIT 1")
      .pluck()
      .get(top) as number;
    w.db.transaction(() => {
      w.db.prepare('DELETE FROM records WHERE id = ?').run(victim);
      bumpRecordsGeneration(w.db);
    })();
    assert.equal(countRows(reader, JANE), warm - 1, 'the deleted match is no longer counted');
    assert.equal(countRows(reader, JANE), bruteCount(w.db, JANE));
  } finally {
    reader.close();
    w.cleanup();
  }
});
