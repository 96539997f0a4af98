/**
 * The CLI's facets of free words take the kept token dictionary (cli/kept-memories.ts, match-ids.ts):
 * a word of token characters finds its vocabulary ids without the trigram statement, and the facets
 * equal brute force (GROUP BY over LIKE with ASCII case folding) for words common and rare, negated,
 * combined with enum terms, with NULL/'' and non-ASCII addresses; with current parts, parts behind an
 * append (not taken: the statement's path), after a removal (another generation: not taken) and kept
 * again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Facets, FilterModel } from '../../common/contract';
import { restoreForSearch } from '../../main/cli/kept-memories';
import { openDatabase } from '../../main/engine/db/open';
import { keepMemories } from '../../main/engine/import/keep-memories';
import { removeImport } from '../../main/engine/import/remove';
import { getFacets } from '../../main/engine/query';
import { addressMapReady } from '../../main/engine/query/address-memory';
import { updateSearchIndex } from '../../main/engine/query/search-index';
import { isTokenWord } from '../../main/engine/query/word-tokens';
import { wordTokens } from '../../main/engine/query/word-tokens-kept';
import { importFiles, workspace, writeCsvFiles, type Workspace } from './import-fixture';
import { oddWordRow } from './word-fixture';
import { ranStatement } from './statement-spy';
import { bruteFacets, facetsOf } from './summary-brute';

/** Token words (common, rare, absent, upper case, non-ASCII) and words the dictionary does not answer. */
const WORDS = ['jane', 'JANE', 'weber1', 'mailbox', 'zzzq', 'jäne', 'Kane', 'max.weber', 'ja'] as const;
const ENUMS = ['status:error', '-status:ok', 'region:DE1', 'substatus:bounced'] as const;

/** Whether the dictionary answers every word of `q` (and nothing but enum terms beside them). */
function dictionaryAnswers(q: string): boolean {
  return q
    .split(' ')
    .every((t) => (ENUMS as readonly string[]).includes(t) || isTokenWord(t.replace(/^-/, '')));
}

/** Facets on a fresh read-only connection as the CLI's facets command answers them; `taken`: the dictionary fits. */
function checkQuery(w: Workspace, q: string, label: string, taken: boolean): void {
  const filter: FilterModel = { q };
  const db = openDatabase(w.dbPath, { readonly: true });
  try {
    restoreForSearch(db, filter, 'facets');
    assert.equal(wordTokens(db) !== null, taken, `${label}: dictionary taken for ${q}`);
    // Taken, the kept map's chunks are passed as read (address-kept-pass.ts), not restored.
    if (taken)
      assert.equal(db.transaction(() => addressMapReady(db))(), false, `${label}: map restored for ${q}`);
    let facets: Facets | undefined;
    const statement = ranStatement(db, 'search_vocab_fts MATCH', () => {
      facets = getFacets(db, filter, 1000);
    });
    assert.ok(facets !== undefined);
    if (taken && dictionaryAnswers(q))
      assert.equal(statement, false, `${label}: no trigram statement for ${q}`);
    assert.deepEqual(facetsOf(facets), bruteFacets(w.db, filter), `${label} facets ${q}`);
  } finally {
    db.close();
  }
}

function checkAll(w: Workspace, label: string, taken: boolean): void {
  for (const word of WORDS) for (const q of [word, `-${word}`]) checkQuery(w, q, label, taken);
  fc.assert(
    fc.property(
      fc.constantFrom(...WORDS),
      fc.subarray([...ENUMS], { maxLength: 2 }),
      fc.boolean(),
      (word, enums, negate) => {
        checkQuery(w, [negate ? `-${word}` : word, ...enums].join(' '), label, taken);
      },
    ),
    { numRuns: 20, seed: 1704 },
  );
}

test('the CLI facets of free words take the kept dictionary while it fits and equal brute force', async () => {
  const w = workspace();
  const files = writeCsvFiles(
    w.dir,
    [
      { rows: 2400, seed: 171, startMs: Date.UTC(2026, 9, 1) },
      { rows: 900, seed: 172, startMs: Date.UTC(2026, 9, 12) },
    ],
    (row, i) => oddWordRow(row, i, { blankRegions: true }),
  );
  try {
    await importFiles(w.db, files.slice(0, 1), { keepMemories: false });
    keepMemories(w.db);
    checkAll(w, 'current parts', true);

    // An append extends the vocabulary past the parts' coverage: not taken until kept again. A
    // connection that took them before the append reads the records by LIKE (its copies no longer fit).
    const before = openDatabase(w.dbPath, { readonly: true });
    try {
      const queries = ['jane', '-jane', 'jane status:error', 'weber1'];
      for (const q of queries) restoreForSearch(before, { q }, 'facets');
      await importFiles(w.db, files.slice(1), { keepMemories: false });
      for (const q of queries)
        assert.deepEqual(
          facetsOf(getFacets(before, { q }, 1000)),
          bruteFacets(w.db, { q }),
          `taken before: ${q}`,
        );
    } finally {
      before.close();
    }
    checkAll(w, 'parts behind an append', false);
    keepMemories(w.db);
    checkAll(w, 'kept after the append', true);

    // A removal: the parts are another generation's.
    const first = w.db.prepare('SELECT min(id) FROM imports').pluck().get() as number;
    await removeImport(w.db, first, new AbortController().signal);
    updateSearchIndex(w.db);
    checkAll(w, 'after a removal', false);
    keepMemories(w.db);
    checkAll(w, 'kept after the removal', true);
  } finally {
    w.cleanup();
  }
});
