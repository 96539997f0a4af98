/**
 * The CLI's facets of a search no summary answers (an SMTP code, a recipient prefix) count its id set
 * by combo from the kept combo ids (cli/kept-memories.ts); a search with `from:` terms and no size
 * bound takes the kept senders without the sizes (memory-cache.ts restoreValueSenders), one with size
 * bounds and no `from:` term the sizes alone (restoreValueSizes). All stay exact: facets and counts
 * equal brute force with current copies, copies an append left behind, after a removal (no copy
 * fits), kept again, and with one part damaged (the other's searches still take theirs; its own take
 * the SQL path); a term of the part a connection lacks takes its SQL path.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import type { FilterModel } from '../../common/contract';
import { restoreForSearch } from '../../main/cli/kept-memories';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { removeImport } from '../../main/engine/import/remove';
import { countRows, getFacets } from '../../main/engine/query';
import { factsMirror } from '../../main/engine/query/facts-memory';
import { MEMORY_CACHE_TABLE } from '../../main/engine/query/memory-chunks';
import { factsCoverage } from '../../main/engine/query/record-facts';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { importFiles, workspace, writeCsvFiles, type Workspace } from './import-fixture';
import { bruteCount, bruteFacets, facetsOf } from './summary-brute';

/** Searches whose facets no summary answers: their id sets' combos come from the kept combo ids. */
const ID_SETS = ['smtp:5.1.1', 'to:max', '-to:max', 'to:max status:ok', 'smtp:5.1.1 region:DE1'];
/** Searches with `from:` terms and no size bound: the senders alone. */
const SENDERS = ['from:news', '-from:news', 'from:news status:error', 'from:news to:max'];
/** Size bounds and no `from:` term: the sizes alone. */
const SIZES = [
  'size>25000',
  '-size>25000',
  'size>25000 size<60000',
  'size<=20000 status:ok',
  'size>25000 jane',
];

function mirrorTimes(db: Database): boolean | null {
  const m = db.transaction(() => factsMirror(db, factsCoverage(db)))();
  return m === null ? null : m.t !== null;
}

/** Facets on a fresh read-only connection as the CLI answers them; returns what was restored. */
function checkFacets(w: Workspace, q: string, label: string): string[] {
  const filter: FilterModel = { q };
  const db = openDatabase(w.dbPath, { readonly: true });
  try {
    const restored = restoreForSearch(db, filter, 'facets');
    if (restored.includes('facts')) assert.equal(mirrorTimes(db), false, `${label} ${q}: timeless`);
    assert.deepEqual(
      facetsOf(getFacets(db, filter, 1000)),
      bruteFacets(w.db, filter),
      `${label} facets ${q}`,
    );
    // A term of the part not taken (sizes after senders alone, and the other way): its SQL path.
    for (const more of ['size>25000', 'from:news']) {
      const other: FilterModel = { q: `${q} ${more}` };
      assert.equal(countRows(db, other), bruteCount(w.db, other), `${label} count ${other.q}`);
      assert.deepEqual(facetsOf(getFacets(db, other, 1000)), bruteFacets(w.db, other), `${label} ${other.q}`);
    }
    return restored;
  } finally {
    db.close();
  }
}

/** The count and query restores of the same searches, exact too. */
function checkCounts(w: Workspace, q: string, label: string): void {
  const filter: FilterModel = { q };
  for (const use of ['count', 'query'] as const) {
    const db = openDatabase(w.dbPath, { readonly: true });
    try {
      restoreForSearch(db, filter, use);
      assert.equal(countRows(db, filter), bruteCount(w.db, filter), `${label} ${use} ${q}`);
    } finally {
      db.close();
    }
  }
}

interface Kept {
  readonly facts: boolean;
  readonly senders: boolean;
  readonly sizes: boolean;
}

function checkAll(w: Workspace, label: string, kept: Kept): void {
  for (const q of ID_SETS) {
    const restored = checkFacets(w, q, label);
    assert.equal(restored.includes('facts'), kept.facts, `${label} ${q}: restored ${restored.join()}`);
  }
  for (const q of SENDERS) {
    const restored = checkFacets(w, q, label);
    assert.equal(restored.includes('values'), kept.senders, `${label} ${q}: restored ${restored.join()}`);
    checkCounts(w, q, label);
  }
  for (const q of SIZES) {
    const restored = checkFacets(w, q, label);
    assert.equal(restored.includes('values'), kept.sizes, `${label} ${q}: restored ${restored.join()}`);
    checkCounts(w, q, label);
  }
  // Answered by the summaries: nothing read for them.
  for (const q of ['status:ok', '-status:error region:DE1']) {
    assert.deepEqual(checkFacets(w, q, label), [], `${label} ${q}: nothing restored`);
  }
}

/** Overwrites every chunk of a kept part with a blob of the wrong length. */
function damage(db: Database, part: string): void {
  db.prepare(`UPDATE ${MEMORY_CACHE_TABLE} SET data = x'010203' WHERE name = ? OR name LIKE ?`).run(
    part,
    `${part}#%`,
  );
}

test('CLI facets of id sets and of senders from the kept parts equal brute force', async () => {
  const w = workspace();
  const files = writeCsvFiles(w.dir, [
    { rows: 2200, seed: 191, startMs: Date.UTC(2026, 9, 1) },
    { rows: 1200, seed: 192, startMs: Date.UTC(2026, 9, 12) },
    { rows: 600, seed: 193, startMs: Date.UTC(2026, 9, 22) },
  ]);
  try {
    await importFiles(w.db, files.slice(0, 2), { keepMemories: false });
    updateSearchIndex(w.db);
    keepMemories(w.db);
    assert.ok(bruteCount(w.db, { q: 'smtp:5.1.1' }) > 0, 'the fixture has 5.1.1 replies');
    const all: Kept = { facts: true, senders: true, sizes: true };
    checkAll(w, 'current copies', all);

    // Each part is read only by its own searches: a damaged one is not taken (the SQL path), the
    // other still is.
    damage(w.db, 'values.size');
    checkAll(w, 'sizes damaged', { ...all, sizes: false });
    damage(w.db, 'values.sender');
    checkAll(w, 'both damaged', { ...all, senders: false, sizes: false });
    keepMemories(w.db);
    damage(w.db, 'values.sender');
    checkAll(w, 'senders damaged', { ...all, senders: false });
    keepMemories(w.db);

    // The copies hold the records before the append: the delta is loaded into the arrays taken.
    await importFiles(w.db, files.slice(2), { keepMemories: false });
    updateSearchIndex(w.db);
    checkAll(w, 'copies behind an append', all);

    // A removal: the copies are another generation's, none is taken.
    const first = w.db.prepare('SELECT min(id) FROM imports').pluck().get() as number;
    await removeImport(w.db, first, new AbortController().signal);
    updateSearchIndex(w.db);
    checkAll(w, 'after a removal', { facts: false, senders: false, sizes: false });

    keepMemories(w.db);
    checkAll(w, 'kept again', all);
  } finally {
    w.cleanup();
  }
});
