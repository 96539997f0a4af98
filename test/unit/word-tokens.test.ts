/**
 * The token dictionary (word-tokens.ts): a word's vocabulary ids equal SQLite's LIKE '%word%' (ASCII
 * case folding only) over random values and words, odd spellings included (upper case, non-ASCII,
 * the Kelvin sign, `%`/`_`, separators, short words: not answered, null).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import {
  buildTokenDictionary,
  dictionaryIds,
  isTokenWord,
  tokensOf,
  type TokenDictionary,
} from '../../main/engine/query/word-tokens';

/** Characters of values: letters in both cases, the Kelvin sign, non-ASCII, a digit, separators, LIKE wildcards. */
const PROPERTY_CHARS = ['a', 'A', 'n', 'a', 'n', 'N', 'k', 'K', '\u212A', 'ä', 'Ä', '1', '.', '_', '%', ' '];

/** The ids whose value LIKE '%word%' (escaped) holds, ascending: the brute answer. */
function likeIds(values: readonly string[], word: string): number[] {
  const db = new BetterSqlite3(':memory:');
  try {
    db.exec('CREATE TABLE v(id INTEGER PRIMARY KEY, value TEXT)');
    const put = db.prepare('INSERT INTO v(id, value) VALUES (?, ?)');
    values.forEach((value, i) => put.run(i + 1, value));
    const escaped = word.replace(/[\\%_]/g, (c) => `\\${c}`);
    return db
      .prepare("SELECT id FROM v WHERE value LIKE ? ESCAPE '\\' ORDER BY id")
      .pluck()
      .all(`%${escaped}%`) as number[];
  } finally {
    db.close();
  }
}

function dictOf(values: readonly string[]): TokenDictionary {
  return buildTokenDictionary(values.map((value, i) => [i + 1, value] as const));
}

test('a token word finds exactly the values LIKE finds; any other word is not answered', () => {
  // Few letters, so that a word is often in several tokens and values.
  const text = fc.array(fc.constantFrom(...PROPERTY_CHARS), { maxLength: 10 }).map((cs) => cs.join(''));
  const letters = fc
    .array(fc.constantFrom('a', 'A', 'n', 'N', 'k', '\u212A', 'ä'), { minLength: 3, maxLength: 3 })
    .map((cs) => cs.join(''));
  fc.assert(
    fc.property(
      fc.array(text, { minLength: 5, maxLength: 60, size: 'large' }),
      fc.oneof(letters, text),
      fc.nat(),
      fc.nat(3),
      (values, typed, pick, extra) => {
        // Every other word cut from a value (three to six characters), so that most of them match.
        const from = values.length === 0 ? '' : values[pick % values.length];
        const at = from.length === 0 ? 0 : (pick >>> 1) % from.length;
        const word = pick % 2 === 0 && from.length > 0 ? from.slice(at, at + 3 + extra) : typed;
        const got = dictionaryIds(dictOf(values), word);
        if (!isTokenWord(word)) {
          assert.equal(got, null);
          return;
        }
        assert.ok(got !== null);
        assert.deepEqual([...got], likeIds(values, word));
      },
    ),
    { numRuns: 300 },
  );
});

test('odd spellings: case folded as LIKE folds it (ASCII only); separators, wildcards and short words left out', () => {
  const values = [
    'Jane.Doe@Example.com',
    'xjanex@web.de',
    'ja.ne@web.de',
    'JÄNE@gmx.de',
    'jäne@gmx.de',
    '\u212Aane@x.de',
    'kane@x.de',
    '550 5.1.1 <jane_doe@web.de> rejected',
    '100%jane',
    '',
    'jane',
  ];
  const dict = dictOf(values);
  for (const word of [
    'jane',
    'JANE',
    'Jane',
    'äne',
    'ÄNE',
    'kane',
    'KANE',
    '\u212Aane',
    'doe',
    'rejected',
    'zzz',
  ])
    assert.deepEqual([...(dictionaryIds(dict, word) ?? [])], likeIds(values, word), word);
  // Separators or LIKE wildcards inside, under three characters: the statement's path (null).
  for (const word of ['ja.ne', 'jane_doe', 'jane%', '%', 'ja', 'a.b', 'web.de', 'x y', ''])
    assert.equal(dictionaryIds(dict, word), null, word);
  assert.deepEqual(tokensOf('A.b_A@B-c'), ['a', 'b', 'c']);
});

test('postings ascending, each token once per value, built from rows with gaps in their ids', () => {
  const dict = buildTokenDictionary([
    [3, 'aa.aa.bb'],
    [10, 'bb'],
    [11, 'AA'],
  ]);
  assert.equal(dict.text, 'aa\nbb\n');
  assert.deepEqual([...dict.offsets], [0, 2, 4]);
  assert.deepEqual([...dict.postings], [3, 11, 3, 10]);
  assert.throws(() => buildTokenDictionary([[0, 'x']]));
});

test('a dictionary of more entries than one block of the build holds (1M) finds what LIKE finds', () => {
  // 300 000 values of four tokens: 1.5M entries in the build's list, over two blocks.
  const values = Array.from({ length: 300_000 }, (_, i) => `V${i % 997}.x${i}-${i % 7}_q`);
  const dict = dictOf(values);
  for (const word of ['v12', 'x29999', 'X1234']) {
    const w = word.toLowerCase();
    const brute = values.flatMap((v, i) => (v.toLowerCase().includes(w) ? [i + 1] : []));
    assert.deepEqual([...(dictionaryIds(dict, word) ?? [])], brute, word);
  }
});
