/**
 * The restored token dictionary (word-tokens-kept.ts) holds at most its cap of postings rows: after
 * many distinct words searched on one connection the kept bytes stay within the cap, and every word's
 * ids still equal LIKE over the vocabulary, the counts brute force (words read again after their rows
 * were dropped, in any order: fast-check).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Database } from 'better-sqlite3';
import fc from 'fast-check';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { MEMORY_CACHE_TABLE, writeParts } from '../../main/engine/query/memory-cache';
import { searchIndexCoverage } from '../../main/engine/query/search-index';
import { keptWordCount } from '../../main/engine/query/word-count';
import { isTokenWord } from '../../main/engine/query/word-tokens';
import {
  keptWordIds,
  restoreWordTokens,
  wordTokenRows,
  wordTokens,
  type KeptTokens,
} from '../../main/engine/query/word-tokens-kept';
import { restoreForSearch } from '../../main/cli/kept-memories';
import { importFiles, workspace, writeCsvFiles } from './import-fixture';
import { bruteCount } from './summary-brute';
import { likeIds, oddWordRow } from './word-fixture';

/** Ids per postings row here: many rows, so that a few words read more of them than the cap holds. */
const POST_IDS = 50;
const ROW_BYTES = POST_IDS * 4;

function restored(db: Database, cap: number): KeptTokens {
  const ok = db.transaction(() => restoreWordTokens(db, MEMORY_CACHE_TABLE, searchIndexCoverage(db), cap))();
  const t = wordTokens(db);
  assert.ok(ok && t !== null, 'the dictionary is restored');
  return t;
}

/** Rows of postings a word's tokens span (what an uncapped connection would keep for it). */
function rowsOf(t: KeptTokens, word: string, into: Set<number>): void {
  const w = word.toLowerCase();
  const tokens = t.text.split('\n');
  for (let k = 0; k < tokens.length - 1; k++) {
    if (!tokens[k].includes(w)) continue;
    const from = t.offsets[k];
    const to = t.offsets[k + 1];
    for (let r = Math.floor(from / POST_IDS); from < to && r <= Math.floor((to - 1) / POST_IDS); r++)
      into.add(r);
  }
}

test('the restored dictionary keeps at most its cap of postings rows; every word stays exact', async () => {
  const w = workspace();
  const files = writeCsvFiles(w.dir, [{ rows: 3000, seed: 91, startMs: Date.UTC(2026, 9, 1) }], (row, i) =>
    oddWordRow(row, i),
  );
  try {
    await importFiles(w.db, files, { keepMemories: false });
    keepMemories(w.db);
    const parts = wordTokenRows(w.db, POST_IDS);
    assert.ok(parts !== null);
    writeParts(w.db, parts.generation, parts.rows);

    const db = openDatabase(w.dbPath, { readonly: true });
    try {
      const cap = 4 * ROW_BYTES;
      const t = restored(db, cap);
      // Distinct token words of the data: every token of three characters or more, and parts of them.
      const tokens = t.text.split('\n').filter((s) => s.length >= 3 && isTokenWord(s));
      const words = [
        ...new Set([
          ...tokens.slice(0, 80),
          ...tokens.slice(0, 80).map((s) => s.slice(1, 4)),
          'jane',
          'web',
          'user',
        ]),
      ].filter(isTokenWord);
      const touched = new Set<number>();
      for (const word of words) {
        const ids = keptWordIds(t, word);
        assert.ok(ids !== null, word);
        assert.deepEqual({ addresses: [...ids.addresses], others: [...ids.others] }, likeIds(db, word), word);
        assert.ok(t.keptBytes() <= cap, `${word}: ${t.keptBytes()} bytes kept, cap ${cap}`);
        rowsOf(t, word, touched);
      }
      // Without the bound the connection would hold every row these words read.
      assert.ok(touched.size * ROW_BYTES > 3 * cap, `${touched.size} rows read in all`);
      // The same words again, in reverse: rows dropped earlier are read again, and equal.
      for (const word of [...words].reverse()) {
        const ids = keptWordIds(t, word);
        assert.ok(ids !== null, word);
        assert.deepEqual({ addresses: [...ids.addresses], others: [...ids.others] }, likeIds(db, word), word);
        assert.ok(t.keptBytes() <= cap);
      }

      // Any order, any cap of at least one row (a row being read is always kept): fast-check.
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 12 }),
          fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 30 }),
          (rows, picked) => {
            const c = restored(db, rows * ROW_BYTES);
            for (const word of picked) {
              const ids = keptWordIds(c, word);
              assert.ok(ids !== null);
              assert.deepEqual({ addresses: [...ids.addresses], others: [...ids.others] }, likeIds(db, word));
              assert.ok(c.keptBytes() <= rows * ROW_BYTES);
            }
          },
        ),
        { numRuns: 40 },
      );
    } finally {
      db.close();
    }

    // The CLI's count with the dictionary restored at the default cap: brute force.
    for (const q of ['jane', '-jane', 'web', 'user']) {
      const c = openDatabase(w.dbPath, { readonly: true });
      try {
        restoreForSearch(c, { q }, 'count');
        assert.ok(wordTokens(c) !== null);
        assert.equal(keptWordCount(c, { q }), bruteCount(w.db, { q }), q);
      } finally {
        c.close();
      }
    }
  } finally {
    w.cleanup();
  }
});
