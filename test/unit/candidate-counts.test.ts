/**
 * The resolver's count of trigram candidates per column (candidate-counts.ts) against brute force:
 * a vocabulary value is a candidate when it holds every trigram of the term's trigram query in any
 * case; the counts are per column, and null once there are more than the bound in all. Both ways of
 * counting (the rowids' array up to ARRAY_MAX, the join above it), bounds below, at and above the
 * number of candidates, '' and short values, terms with a quote (fast-check).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import { candidateCounter, type ColumnCounts } from '../../main/engine/query/candidate-counts';
import { trigramQuery } from '../../main/engine/query/resolver';
import { tempWorkspace } from './query-fixture';

type Vocab = readonly (readonly [number, string])[];

function fill(db: Database, vocab: Vocab): void {
  db.exec("DELETE FROM search_vocab; INSERT INTO search_vocab_fts(search_vocab_fts) VALUES ('delete-all');");
  const put = db.prepare('INSERT OR IGNORE INTO search_vocab(col, value) VALUES (?, ?)');
  for (const [col, value] of vocab) put.run(col, value);
  db.exec('INSERT INTO search_vocab_fts(rowid, value) SELECT id, value FROM search_vocab');
}

/** The trigrams trigramQuery ANDs, for the same term. */
function grams(term: string): string[] {
  const chars = [...term];
  const out: string[] = [];
  for (let i = 0; i + 3 <= chars.length; i += 3) out.push(chars.slice(i, i + 3).join(''));
  if (chars.length % 3 !== 0) out.push(chars.slice(-3).join(''));
  return out;
}

function brute(db: Database, term: string, max: number): ColumnCounts | null {
  const rows = db.prepare('SELECT col, value FROM search_vocab').raw().all() as [number, string][];
  const want = grams(term).map((g) => g.toLowerCase());
  const per = new Map<number, number>();
  let n = 0;
  for (const [col, value] of rows) {
    const v = value.toLowerCase();
    if (!want.every((g) => v.includes(g))) continue;
    per.set(col, (per.get(col) ?? 0) + 1);
    n++;
  }
  if (n > max) return null;
  return [...per].sort((a, b) => a[0] - b[0]);
}

const sorted = (c: ColumnCounts | null): ColumnCounts | null =>
  c === null ? null : [...c].map(([col, n]) => [col, n] as const).sort((a, b) => a[0] - b[0]);

test('a common word, a rare one, one that is only its trigrams, none: both ways of counting', () => {
  const ws = tempWorkspace();
  try {
    const vocab: [number, string][] = [];
    for (let i = 0; i < 40; i++) vocab.push([i % 3 === 0 ? 4 : 0, `User${i}@GMX.de`]);
    vocab.push([1, 'news@gmx.net'], [2, 'gmx.de'], [0, ''], [0, 'gm'], [3, 'abc-gmx'], [0, 'xmg@x.de']);
    // Holds both trigrams of 'abcdef' ("abc", "def") without the term.
    vocab.push([0, 'def-abc'], [4, 'ABCDEF 550']);
    fill(ws.db, vocab);
    const count = candidateCounter(ws.db);
    for (const term of ['gmx', 'GMX.de', 'abcdef', 'news', 'zzz', 'a"b']) {
      for (const max of [0, 1, 5, 30, 44, 45, 46, 100, 20_000]) {
        assert.deepEqual(
          sorted(count(trigramQuery(term), max)),
          brute(ws.db, term, max),
          `${term} bound ${max}`,
        );
      }
    }
  } finally {
    ws.close();
  }
});

test('any vocabulary, any term, any bound: the counts of brute force (fast-check)', () => {
  const ws = tempWorkspace();
  try {
    const text = (min: number, max: number): fc.Arbitrary<string> =>
      fc
        .array(fc.constantFrom('a', 'A', 'b', 'B', '.', '@', '1', '"', ' '), {
          minLength: min,
          maxLength: max,
        })
        .map((cs) => cs.join(''));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), text(0, 9)), { maxLength: 60 }),
        text(3, 7),
        fc.oneof(fc.integer({ min: 0, max: 70 }), fc.constant(20_000)),
        (vocab, term, max) => {
          fill(ws.db, vocab);
          const count = candidateCounter(ws.db);
          assert.deepEqual(sorted(count(trigramQuery(term), max)), brute(ws.db, term, max));
        },
      ),
      { numRuns: 150 },
    );
  } finally {
    ws.close();
  }
});
