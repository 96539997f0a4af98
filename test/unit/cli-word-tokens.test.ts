/**
 * The kept token dictionary (word-tokens-kept.ts) as the CLI's count takes it: the ids it gives a word
 * equal LIKE over the vocabulary, and the counts brute force, with current parts, after an append
 * (parts behind: not taken), after a removal (another generation: not taken), with a postings row
 * missing; postings read across rows, written window by window, a build cut short (not taken).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { restoreForSearch } from '../../main/cli/kept-memories';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { removeImport } from '../../main/engine/import/remove';
import { countRows } from '../../main/engine/query';
import { MEMORY_CACHE_TABLE, writeParts } from '../../main/engine/query/memory-cache';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { keptWordCount } from '../../main/engine/query/word-count';
import {
  keepWordTokenRows,
  keptWordIds,
  wordTokenRows,
  wordTokens,
} from '../../main/engine/query/word-tokens-kept';
import { importFiles, workspace, writeCsvFiles, type Workspace } from './import-fixture';
import { likeIds, oddWordRow } from './word-fixture';
import { bruteCount } from './summary-brute';

/** Token words (answered from the dictionary) and others (the statement's path). */
const TOKEN_WORDS = ['jane', 'JANE', 'weber1', 'mailbox', 'user', 'zzzq', 'jäne', 'Kane'];
const OTHER_WORDS = ['max.weber', 'web.de', 'ja', 'jane_'];

/** Every word and its negation equal brute force on a fresh read-only connection; `taken`: the dictionary restored. */
function checkWords(w: Workspace, label: string, taken: boolean): void {
  for (const word of [...TOKEN_WORDS, ...OTHER_WORDS])
    for (const q of [word, `-${word}`]) {
      const db = openDatabase(w.dbPath, { readonly: true });
      try {
        restoreForSearch(db, { q }, 'count');
        const t = wordTokens(db);
        assert.equal(t !== null, taken, `${label}: dictionary taken for ${q}`);
        const brute = bruteCount(w.db, { q });
        assert.equal(countRows(db, { q }), brute, `${label}: count ${q}`);
        const kept = keptWordCount(db, { q });
        assert.ok(kept === null || kept === brute, `${label}: kept count ${q}`);
        if (t === null) continue;
        const ids = keptWordIds(t, word);
        if (!TOKEN_WORDS.includes(word)) assert.equal(ids, null, `${label}: ${word} not a token word`);
        else {
          assert.ok(ids !== null);
          assert.equal(kept, brute, `${label}: counted with the dictionary ${q}`);
          assert.deepEqual(
            { addresses: [...ids.addresses], others: [...ids.others] },
            likeIds(db, word),
            word,
          );
        }
      } finally {
        db.close();
      }
    }
}

test('a word counts exactly with the kept token dictionary, which is taken only while it fits', async () => {
  const w = workspace();
  const files = writeCsvFiles(
    w.dir,
    [
      { rows: 2500, seed: 81, startMs: Date.UTC(2026, 9, 1) },
      { rows: 900, seed: 82, startMs: Date.UTC(2026, 9, 12) },
    ],
    (row, i) => oddWordRow(row, i),
  );
  try {
    await importFiles(w.db, files.slice(0, 1), { keepMemories: false });
    checkWords(w, 'nothing kept', false);
    keepMemories(w.db);
    checkWords(w, 'current parts', true);

    // An append extends the vocabulary past the parts' coverage: not taken until kept again.
    await importFiles(w.db, files.slice(1), { keepMemories: false });
    checkWords(w, 'parts behind an append', false);
    keepMemories(w.db);
    checkWords(w, 'kept after the append', true);

    // Postings in rows of 100 ids: a word's tokens read across rows.
    const parts = wordTokenRows(w.db, 100);
    assert.ok(parts !== null && parts.rows.filter(([n]) => n.startsWith('words.post')).length > 5);
    writeParts(w.db, parts.generation, parts.rows);
    checkWords(w, 'postings in small rows', true);

    // Built in windows of 3 rows of 7 ids, each written before the next is placed: tokens span windows.
    // On a read connection of its own, as the import builds it: each batch commits on the writer.
    const reader = openDatabase(w.dbPath, { readonly: true });
    const batches: number[] = [];
    keepWordTokenRows(
      reader,
      (generation, rows) => {
        batches.push(rows.length);
        writeParts(w.db, generation, rows);
      },
      7,
      3,
    );
    assert.ok(batches.length > 10, `${batches.length} batches`);
    checkWords(w, 'postings written window by window', true);

    // A build cut short after its first window: its placeholder head, not taken; counts still exact.
    let left = 2;
    assert.throws(() =>
      keepWordTokenRows(
        reader,
        (generation, rows) => {
          if (left-- === 0) throw new Error('cut short');
          writeParts(w.db, generation, rows);
        },
        11,
        2,
      ),
    );
    reader.close();
    checkWords(w, 'a build cut short', false);
    keepMemories(w.db);
    checkWords(w, 'kept again after it', true);

    // A removal: the parts are another generation's.
    const first = w.db.prepare('SELECT min(id) FROM imports').pluck().get() as number;
    await removeImport(w.db, first, new AbortController().signal);
    updateSearchIndex(w.db);
    checkWords(w, 'after a removal', false);
    keepMemories(w.db);
    checkWords(w, 'kept after the removal', true);

    // A postings row missing: the word's ids are not given, its count takes the statement.
    w.db.prepare(`DELETE FROM ${MEMORY_CACHE_TABLE} WHERE name = 'words.post'`).run();
    const db = openDatabase(w.dbPath, { readonly: true });
    try {
      restoreForSearch(db, { q: 'jane' }, 'count');
      const t = wordTokens(db);
      assert.ok(t !== null, 'the other parts are whole');
      assert.equal(keptWordIds(t, 'jane'), null);
      assert.equal(keptWordCount(db, { q: 'jane' }), bruteCount(w.db, { q: 'jane' }));
    } finally {
      db.close();
    }
  } finally {
    w.cleanup();
  }
});
