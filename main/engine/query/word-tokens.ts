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

/** ASCII letters and digits, and every non-ASCII character, are token characters. */
function isTokenChar(c: number): boolean {
  return c > 0x7f || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** ASCII upper case to lower case only: LIKE folds no other letter (not the Kelvin sign, not `Ä`). */
export function foldAscii(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

/** Whether the dictionary answers `word`: three characters or more, none of them a separator. */
export function isTokenWord(word: string): boolean {
  if ([...word].length < 3) return false;
  for (let i = 0; i < word.length; i++) if (!isTokenChar(word.charCodeAt(i))) return false;
  return true;
}

/** The distinct tokens of one value (folded), in order of first occurrence. */
export function tokensOf(value: string): string[] {
  const out: string[] = [];
  const folded = foldAscii(value);
  let start = -1;
  for (let i = 0; i <= folded.length; i++) {
    const inToken = i < folded.length && isTokenChar(folded.charCodeAt(i));
    if (inToken && start < 0) start = i;
    else if (!inToken && start >= 0) {
      const t = folded.slice(start, i);
      if (!out.includes(t)) out.push(t);
      start = -1;
    }
  }
  return out;
}

export interface TokenDictionary {
  /** The distinct tokens, each followed by '\n' (a separator: no word matches across two). */
  readonly text: string;
  /** Token k's postings are postings[offsets[k] .. offsets[k + 1]) (tokens + 1 entries). */
  readonly offsets: Uint32Array;
  /** Per token, the vocabulary ids holding it, ascending. */
  readonly postings: Uint32Array;
}

/** Marks a vocabulary id in the list of token numbers built by the first pass. */
const ID_MARK = 0x80000000;
/** Entries per block of that list. */
const SEQ_BLOCK = 1 << 20;

/**
 * Builds the dictionary from (id, value) rows, ids ascending, read once: a first pass numbers the
 * tokens and notes each value's id and token numbers in one Uint32 list, a second places the postings
 * from that list, with no string and no map lookup. Measured on the 1M-row case under load: reading
 * the rows twice and looking every token up twice took 8.6 s of CPU, most of it the row reads and the
 * lookups.
 */
export function buildTokenDictionary(rows: Iterable<readonly [number, string]>): TokenDictionary {
  const index = new Map<string, number>();
  const tokens: string[] = [];
  let counts = new Uint32Array(1024);
  // In blocks, not one array grown by doubling: at 5M rows the list is 23M entries (92 MB), and its
  // last doubling held 64 + 128 MB at once (the build's peak RSS 347 MB, measured).
  const blocks: Uint32Array[] = [];
  let block = new Uint32Array(0);
  let at = 0;
  const push = (v: number): void => {
    if (at === block.length) {
      block = new Uint32Array(SEQ_BLOCK);
      blocks.push(block);
      at = 0;
    }
    block[at++] = v;
  };
  for (const [id, value] of rows) {
    if (id <= 0 || id >= ID_MARK) throw new Error(`vocabulary id out of range: ${id}`);
    push(ID_MARK | id);
    for (const t of tokensOf(value)) {
      let k = index.get(t);
      if (k === undefined) {
        k = tokens.length;
        index.set(t, k);
        tokens.push(t);
        if (k >= counts.length) {
          const grown = new Uint32Array(counts.length * 2);
          grown.set(counts);
          counts = grown;
        }
      }
      counts[k]++;
      push(k);
    }
  }
  const offsets = new Uint32Array(tokens.length + 1);
  for (let k = 0; k < tokens.length; k++) offsets[k + 1] = offsets[k] + counts[k];
  const postings = new Uint32Array(offsets[tokens.length]);
  const next = offsets.slice(0, tokens.length);
  let id = 0;
  for (let b = 0; b < blocks.length; b++) {
    const list = blocks[b];
    const end = b === blocks.length - 1 ? at : list.length;
    for (let i = 0; i < end; i++) {
      const v = list[i];
      if (v >= ID_MARK) id = v - ID_MARK;
      else postings[next[v]++] = id;
    }
  }
  return { text: tokens.map((t) => `${t}\n`).join(''), offsets, postings };
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

/** Ascending, distinct union of the postings of `tokens`, read through `postingsOf(k)`. */
export function unionPostings(
  tokens: readonly number[],
  postingsOf: (k: number) => Uint32Array | null,
): Uint32Array | null {
  const lists: Uint32Array[] = [];
  let n = 0;
  for (const k of tokens) {
    const list = postingsOf(k);
    if (list === null) return null;
    lists.push(list);
    n += list.length;
  }
  const all = new Uint32Array(n);
  let o = 0;
  for (const list of lists) {
    all.set(list, o);
    o += list.length;
  }
  if (lists.length > 1) all.sort();
  let d = 0;
  for (let i = 0; i < all.length; i++) if (d === 0 || all[i] !== all[d - 1]) all[d++] = all[i];
  return all.subarray(0, d);
}

/** The vocabulary ids whose value holds `word` (LIKE '%word%'), ascending; null: not a token word. */
export function dictionaryIds(dict: TokenDictionary, word: string): Uint32Array | null {
  const tokens = tokensHolding(dict.text, word);
  if (tokens === null) return null;
  return unionPostings(tokens, (k) => dict.postings.subarray(dict.offsets[k], dict.offsets[k + 1]));
}
