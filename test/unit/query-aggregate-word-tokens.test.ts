/**
 * The aggregate reader (facts mirror and address map of its own, wantWordTokens as worker/entry.ts
 * sets it) finds a free word's set from the kept token dictionary (page-words.ts): count, facets and
 * histogram buckets of word searches (alone, negated, with facet and time terms, under zones) equal a
 * brute-force pass for words common and rare, in odd spellings and with separators or LIKE wildcards
 * (the statement's path); with the parts current (the trigram statement not run), behind an append
 * (not used), kept again, after a removal (another generation: not used), kept again, and after the
 * import is added again; any word cut from the data (fast-check).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import fc from 'fast-check';
import type { FilterModel } from '../../common/contract';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { removeImport } from '../../main/engine/import/remove';
import { enableAddressMemory, stepAddressMemory } from '../../main/engine/query/address-memory';
import { getFacets } from '../../main/engine/query/facets';
import { enableFactsMemory, stepFactsMemory } from '../../main/engine/query/facts-memory';
import { getHistogram } from '../../main/engine/query/histogram';
import { useWordTokens, wantWordTokens } from '../../main/engine/query/page-words';
import { clearQueryCache, countRows, matchIds } from '../../main/engine/query/paging';
import { factsCoverage } from '../../main/engine/query/record-facts';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { importFiles, workspace, type Workspace } from './import-fixture';
import { ranStatement } from './statement-spy';
import { bruteCount, bruteFacets, bruteHistogram, facetsOf } from './summary-brute';
import { oddWordFiles, tokensTaken, vocabularyWord } from './word-fixture';

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
/** The statement that finds a word's addresses and other values without the dictionary (resolver.ts pairStmt). */
const STATEMENT = 'json_group_array(id) FILTER';

/** The reader's memories loaded up to what the writer has committed, as its idle steps load them. */
function loadAll(reader: Database): void {
  while (stepFactsMemory(reader, () => factsCoverage(reader)) || stepAddressMemory(reader));
}

/** Count, facets and histogram of a search the reader has not cached, against brute force. */
function checkSearch(reader: Database, writer: Database, filter: FilterModel, label: string): void {
  clearQueryCache(reader);
  const what = `${label} ${JSON.stringify(filter)}`;
  assert.equal(countRows(reader, filter), bruteCount(writer, filter), `count ${what}`);
  assert.deepEqual(facetsOf(getFacets(reader, filter, 1000)), bruteFacets(writer, filter), `facets ${what}`);
  assert.deepEqual(getHistogram(reader, filter, 60), bruteHistogram(writer, filter, 60), `histogram ${what}`);
}

function checkWords(reader: Database, writer: Database, label: string): void {
  for (const word of WORDS)
    for (const filter of [
      { q: word },
      { q: `-${word}` },
      { q: `-${word} status:ok` },
      { q: `${word} after:2026-10-05`, timeZone: 'Europe/Berlin' },
    ])
      checkSearch(reader, writer, filter, label);
}

/** Whether finding `jane`'s set as the count does (paging.ts matchIds) ran the trigram statement. */
function setRanStatement(reader: Database, writer: Database): boolean {
  clearQueryCache(reader);
  const filter = { q: 'jane' };
  return ranStatement(reader, STATEMENT, () => {
    assert.equal(matchIds(reader, filter)?.count, bruteCount(writer, filter));
  });
}

function aggregateReader(w: Workspace): Database {
  const reader = openDatabase(w.dbPath, { readonly: true });
  enableFactsMemory(reader);
  enableAddressMemory(reader);
  wantWordTokens(reader);
  return reader;
}

test('the aggregate reader finds word sets from the kept token dictionary, exactly, and only while it fits', async () => {
  const w = workspace();
  const reader = aggregateReader(w);
  try {
    const files = oddWordFiles(w.dir, 93);
    await importFiles(w.db, files.slice(0, 1));
    loadAll(reader);
    checkWords(reader, w.db, 'current parts');
    assert.equal(tokensTaken(reader), true, 'the aggregate reader took the dictionary');
    assert.equal(setRanStatement(reader, w.db), false, 'the word set without the trigram statement');
    useWordTokens(reader, false);
    assert.equal(setRanStatement(reader, w.db), true, 'without the dictionary: the statement');
    useWordTokens(reader, true);

    // An append the kept parts do not cover: not used, the answers exact.
    await importFiles(w.db, files.slice(1), { keepMemories: false });
    updateSearchIndex(w.db);
    loadAll(reader);
    checkWords(reader, w.db, 'parts behind an append');
    assert.equal(tokensTaken(reader), false, 'parts behind the vocabulary are not used');
    keepMemories(w.db);
    checkWords(reader, w.db, 'kept after the append');
    assert.equal(tokensTaken(reader), true, 'the newer parts are taken');
    assert.equal(setRanStatement(reader, w.db), false);

    // A removal: the restored dictionary and the kept parts are another generation's.
    await removeImport(w.db, 1, new AbortController().signal);
    updateSearchIndex(w.db);
    loadAll(reader);
    assert.equal(tokensTaken(reader), false, 'not used after a removal');
    checkWords(reader, w.db, 'after a removal');
    assert.equal(tokensTaken(reader), false, 'the parts are not taken until kept again');
    keepMemories(w.db);
    checkWords(reader, w.db, 'kept after the removal');
    assert.equal(tokensTaken(reader), true, 'the parts kept after the removal are taken');

    // The removed import added again (its records under new ids).
    await importFiles(w.db, files.slice(0, 1));
    loadAll(reader);
    checkWords(reader, w.db, 're-imported');
    assert.equal(tokensTaken(reader), true, 'the parts kept by the re-import are taken');
    assert.equal(setRanStatement(reader, w.db), false);
  } finally {
    reader.close();
    w.cleanup();
  }
});

test('a reader that does not want the dictionary finds word sets by the statement', async () => {
  const w = workspace();
  const reader = openDatabase(w.dbPath, { readonly: true });
  try {
    await importFiles(w.db, oddWordFiles(w.dir, 93).slice(0, 1));
    enableFactsMemory(reader);
    enableAddressMemory(reader);
    loadAll(reader);
    assert.equal(setRanStatement(reader, w.db), true);
    assert.equal(tokensTaken(reader), false);
  } finally {
    reader.close();
    w.cleanup();
  }
});

test('any word cut from the addresses and reply texts counts as brute force with the dictionary (fast-check)', async () => {
  const w = workspace();
  const reader = aggregateReader(w);
  try {
    await importFiles(w.db, oddWordFiles(w.dir, 93).slice(0, 1));
    loadAll(reader);
    const word = vocabularyWord(w.db);
    fc.assert(
      fc.property(
        word,
        fc.constantFrom('', '-', 'status:ok ', 'after:2026-10-05 '),
        fc.constantFrom(undefined, 'Europe/Berlin', 'America/New_York'),
        (q, prefix, timeZone) => {
          const filter: FilterModel = { q: `${prefix}${q}`, ...(timeZone === undefined ? {} : { timeZone }) };
          checkSearch(reader, w.db, filter, 'fast-check');
        },
      ),
      { numRuns: 40, seed: 1812 },
    );
    assert.equal(tokensTaken(reader), true, 'the dictionary was in use');
  } finally {
    reader.close();
    w.cleanup();
  }
});
