/**
 * A page reader (value codes enabled, no aggregate reader's sets: the bench's and the CLI's bare
 * connection) finds a free word's set from the kept token dictionary (page-words.ts takeWordTokens,
 * match-ids.ts): first, deeper and last pages of word searches equal a brute-force ORDER BY with LIKE
 * for words common and rare, in odd spellings (case, non-ASCII, the Kelvin sign) and with separators
 * or LIKE wildcards (the statement's path); with the parts current (the trigram statement not run),
 * behind an append (not used), kept again, after a removal (another generation: not used) and kept
 * again; any word cut from the data (fast-check).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import fc from 'fast-check';
import { COLUMN_IDS, type ColumnId } from '../../common/columns';
import type { FilterModel, SortDir } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { removeImport } from '../../main/engine/import/remove';
import { enableColumnCodes, stepColumnCodes } from '../../main/engine/query/column-codes';
import { addressMapReady } from '../../main/engine/query/address-memory';
import { findMatchIds } from '../../main/engine/query/match-ids';
import { writeParts } from '../../main/engine/query/memory-cache';
import { takeKeptAddresses, useWordTokens } from '../../main/engine/query/page-words';
import { clearQueryCache, queryPage } from '../../main/engine/query/paging';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { keepWordTokenRows } from '../../main/engine/query/word-tokens-kept';
import { importFiles, workspace } from './import-fixture';
import { oddWordFiles, tokensTaken, vocabularyWord } from './word-fixture';
import { ranStatement } from './statement-spy';
import { bruteSortedIds } from './summary-brute';

/** Token words (the dictionary's) and words with separators, wildcards or under three characters. */
const WORDS = [
  'jane',
  'JANE',
  'weber1',
  'mailbox',
  'zzzq',
  'jäne',
  'Kane',
  'max.weber',
  'jane_',
  '50%',
  'ja',
];
const SORTS: [ColumnId, SortDir][] = [
  ['tenant', 'asc'],
  ['status', 'desc'],
  ['usage_id', 'desc'],
  ['message_size', 'asc'],
  ['message_to', 'desc'],
  ['creation_time', 'desc'],
];
/** The statement that finds a word's addresses and other values without the dictionary (resolver.ts pairStmt). */
const STATEMENT = 'json_group_array(id) FILTER';

function pageIds(
  page: Database,
  filter: FilterModel,
  column: ColumnId,
  dir: SortDir,
  start: number,
): number[] {
  return queryPage(page, { filter, sort: [{ column, dir }], startRow: start, endRow: start + 100 }).rows.map(
    (r) => r.id,
  );
}

/** A cold search's first page, a deeper page (it finds the whole set), the page after it and the last ones. */
function checkSearch(
  page: Database,
  writer: Database,
  filter: FilterModel,
  column: ColumnId,
  dir: SortDir,
): void {
  const all = bruteSortedIds(writer, filter, column, dir);
  clearQueryCache(page);
  const deep = Math.floor(all.length / 2);
  for (const start of [0, deep, deep + 100, Math.max(0, all.length - 30)])
    assert.deepEqual(
      pageIds(page, filter, column, dir, start),
      all.slice(start, start + 100),
      `${JSON.stringify(filter)} by ${column} ${dir} from ${start}`,
    );
}

function checkPages(page: Database, writer: Database, label: string): void {
  for (const word of WORDS)
    for (const q of [word, `-${word} status:ok`, `${word} after:2026-10-05`])
      for (const [column, dir] of SORTS) {
        try {
          checkSearch(page, writer, { q }, column, dir);
        } catch (err) {
          if (err instanceof Error) err.message = `${label}: ${err.message}`;
          throw err;
        }
      }
}

/**
 * Whether finding `jane`'s set as a deeper page does (kept-sets.ts matchList: the kept address map
 * taken, then findMatchIds) ran the trigram statement.
 */
function setRanStatement(page: Database): boolean {
  clearQueryCache(page);
  const filter = { q: 'jane' };
  return ranStatement(page, STATEMENT, () => {
    takeKeptAddresses(page, filter);
    assert.equal(
      findMatchIds(page, filter, Number.MAX_SAFE_INTEGER)?.count,
      bruteSortedIds(page, filter, 'creation_time', 'asc').length,
    );
  });
}

function loadCodes(page: Database): void {
  while (stepColumnCodes(page, 5000));
}

test('a page reader finds word sets from the kept token dictionary, exactly, and only while it fits', async () => {
  const w = workspace();
  const page = openDatabase(w.dbPath, { readonly: true });
  try {
    const files = oddWordFiles(w.dir, 91);
    await importFiles(w.db, files.slice(0, 1));
    enableColumnCodes(page);
    loadCodes(page);
    checkPages(page, w.db, 'current parts');
    assert.equal(tokensTaken(page), true, 'the page reader took the dictionary');
    assert.equal(setRanStatement(page), false, 'the word set without the trigram statement');
    useWordTokens(page, false);
    assert.equal(setRanStatement(page), true, 'without the dictionary: the statement');
    useWordTokens(page, true);

    // An append the kept parts do not cover: not used, the pages exact.
    await importFiles(w.db, files.slice(1), { keepMemories: false });
    updateSearchIndex(w.db);
    loadCodes(page);
    checkPages(page, w.db, 'parts behind an append');
    assert.equal(tokensTaken(page), false, 'parts behind the vocabulary are not used');
    keepMemories(w.db);
    checkPages(page, w.db, 'kept after the append');
    assert.equal(tokensTaken(page), true, 'the newer parts are taken');
    assert.equal(setRanStatement(page), false);

    // A removal: the restored dictionary and the kept parts are another generation's.
    await removeImport(w.db, 1, new AbortController().signal);
    updateSearchIndex(w.db);
    loadCodes(page);
    assert.equal(tokensTaken(page), false, 'not used after a removal');
    checkPages(page, w.db, 'after a removal');
    assert.equal(tokensTaken(page), false, 'the parts are not taken until kept again');
    keepMemories(w.db);
    checkPages(page, w.db, 'kept after the removal');
    // Taken only beside the kept address map (the page reader did not take that map again after the
    // removal here: page-words.ts takeAddressMap, not changed by this test's subject).
    assert.equal(tokensTaken(page), page.transaction(() => addressMapReady(page))());
  } finally {
    page.close();
    w.cleanup();
  }
});

test('a page reader that searched during a dictionary build takes the dictionary once the build is whole', async () => {
  const w = workspace();
  const reader = openDatabase(w.dbPath, { readonly: true });
  try {
    await importFiles(w.db, oddWordFiles(w.dir, 91).slice(0, 1));
    // A build cut short after its first batch (as the import's memories phase is while it runs): only
    // its placeholder head and first parts are written.
    let left = 1;
    assert.throws(() =>
      keepWordTokenRows(reader, (generation, rows) => {
        if (left-- === 0) throw new Error('cut short');
        writeParts(w.db, generation, rows);
      }),
    );
    const page = openDatabase(w.dbPath, { readonly: true });
    try {
      enableColumnCodes(page);
      loadCodes(page);
      assert.equal(setRanStatement(page), true, 'during the build: the statement');
      assert.equal(tokensTaken(page), false);
      keepWordTokenRows(reader, (generation, rows) => writeParts(w.db, generation, rows));
      assert.equal(setRanStatement(page), false, 'the whole build is taken by the same page reader');
      assert.equal(tokensTaken(page), true);
    } finally {
      page.close();
    }
  } finally {
    reader.close();
    w.cleanup();
  }
});

test('any word cut from the addresses and reply texts pages as brute force with the dictionary (fast-check)', async () => {
  const w = workspace();
  const page = openDatabase(w.dbPath, { readonly: true });
  try {
    await importFiles(w.db, oddWordFiles(w.dir, 91).slice(0, 1));
    enableColumnCodes(page);
    loadCodes(page);
    const word = vocabularyWord(w.db);
    fc.assert(
      fc.property(
        word,
        fc.constantFrom(...COLUMN_IDS),
        fc.constantFrom<SortDir>('asc', 'desc'),
        fc.boolean(),
        (q, column, dir, negated) => {
          checkSearch(page, w.db, { q: negated ? `-${q} status:ok` : q }, column, dir);
        },
      ),
      { numRuns: 40, seed: 1712 },
    );
    assert.equal(tokensTaken(page), true, 'the dictionary was in use');
  } finally {
    page.close();
    w.cleanup();
  }
});
