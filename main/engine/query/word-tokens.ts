/**
 * A token dictionary of the search vocabulary (search_vocab): every maximal run of characters that
 * are not ASCII separators (ASCII characters other than letters and digits) of every value,
 * ASCII-lowercased as LIKE folds case, with the vocabulary ids holding it. A free word made of such
 * characters only can occur in a value only inside one of its tokens, so the values holding it are the
 * union of the postings of the tokens that contain it: `indexOf` over the distinct tokens joined by a
 * separator, no trigram statement and no LIKE.
 *
 * Why (5M rows, copy of the shared case, under load): the vocabulary's 4.2M values have 201 068
 * distinct tokens (2.4 MB of text) and 19.1M postings; `jane` is in 8 tokens, 351 395 ids, found in
 * 11-42 ms against 260-440 ms for the trigram statement (same ids); `mueller` 20 008 tokens, 61-88 ms
 * against 354-603 ms.
 */

import { collectTokens, foldAscii, isTokenChar, placeWindow, postingsLength } from './word-tokens-build';

export { foldAscii, tokensOf } from './word-tokens-build';

/** Whether the dictionary answers `word`: three characters or more, none of them a separator. */
export function isTokenWord(word: string): boolean {
  if ([...word].length < 3) return false;
  for (let i = 0; i < word.length; i++) if (!isTokenChar(word.charCodeAt(i))) return false;
  return true;
}

export interface TokenDictionary {
  /** The distinct tokens, each followed by '\n' (a separator: no word matches across two). */
  readonly text: string;
  /** Token k's postings are postings[offsets[k] .. offsets[k + 1]) (tokens + 1 entries). */
  readonly offsets: Uint32Array;
  /** Per token, the vocabulary ids holding it, ascending. */
  readonly postings: Uint32Array;
}

/**
 * Builds the dictionary from (id, value) rows, ids ascending, read once, all postings at once (the
 * import keeps it window by window instead: word-tokens-kept.ts).
 */
export function buildTokenDictionary(rows: Iterable<readonly [number, string]>): TokenDictionary {
  const c = collectTokens(rows);
  return { text: c.text, offsets: c.offsets, postings: placeWindow(c, 0, postingsLength(c)) };
}

/** The indices of the tokens containing `word` (folded), ascending; null when the word is not a token word. */
export function tokensHolding(text: string, word: string): number[] | null {
  if (!isTokenWord(word)) return null;
  const w = foldAscii(word);
  const out: number[] = [];
  let from = 0;
  // Token k starts after the k-th '\n': counted as the scan moves on, not searched per hit.
  let k = 0;
  let lineStart = 0;
  for (;;) {
    const i = text.indexOf(w, from);
    if (i < 0) break;
    for (let nl = text.indexOf('\n', lineStart); nl >= 0 && nl < i; nl = text.indexOf('\n', lineStart)) {
      k++;
      lineStart = nl + 1;
    }
    out.push(k);
    const end = text.indexOf('\n', i);
    from = end + 1;
    lineStart = end + 1;
    k++;
  }
  return out;
}

/** A union of postings: its ids ascending and distinct, and the bit map (bit id set) they were read from. */
export interface PostingsUnion {
  readonly ids: Uint32Array;
  readonly bits: Int32Array;
}

/** Whether `id` is in the union's bit map. */
export function inUnion(u: PostingsUnion, id: number): boolean {
  const w = id >>> 5;
  return w < u.bits.length && (u.bits[w] & (1 << (id & 31))) !== 0;
}

/**
 * The union of the postings of `tokens` with its bit map, read through `postingsOf(k)`. Each list is
 * ascending: their ids are set in the bit map and read back in order, no sort (5M rows, `jane`: 8
 * lists, 351 395 ids; the sort of their concatenation was ~60 ms of the CLI's count under load, 16a).
 */
export function unionBits(
  tokens: readonly number[],
  postingsOf: (k: number) => Uint32Array | null,
): PostingsUnion | null {
  const lists: Uint32Array[] = [];
  let n = 0;
  let top = 0;
  for (const k of tokens) {
    const list = postingsOf(k);
    if (list === null) return null;
    lists.push(list);
    n += list.length;
    if (list.length > 0 && list[list.length - 1] > top) top = list[list.length - 1];
  }
  const bits = new Int32Array((top >>> 5) + 1);
  for (const list of lists) for (let i = 0; i < list.length; i++) bits[list[i] >>> 5] |= 1 << (list[i] & 31);
  const out = new Uint32Array(n);
  let d = 0;
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w];
    while (word !== 0) {
      const low = word & -word;
      out[d++] = (w << 5) + 31 - Math.clz32(low);
      word ^= low;
    }
  }
  return { ids: out.subarray(0, d), bits };
}

/** Ascending, distinct union of the postings of `tokens` (one list: a copy of it, no bit map). */
export function unionPostings(
  tokens: readonly number[],
  postingsOf: (k: number) => Uint32Array | null,
): Uint32Array | null {
  if (tokens.length === 1) return postingsOf(tokens[0])?.slice() ?? null;
  return unionBits(tokens, postingsOf)?.ids ?? null;
}

/** The vocabulary ids whose value holds `word` (LIKE '%word%'), ascending; null: not a token word. */
export function dictionaryIds(dict: TokenDictionary, word: string): Uint32Array | null {
  const tokens = tokensHolding(dict.text, word);
  if (tokens === null) return null;
  return unionPostings(tokens, (k) => dict.postings.subarray(dict.offsets[k], dict.offsets[k + 1]));
}
