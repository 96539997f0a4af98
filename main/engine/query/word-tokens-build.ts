/**
 * The build of the token dictionary (word-tokens.ts) in bounded memory: one pass over the vocabulary
 * rows numbers the tokens, counts their postings and notes each value's id and token numbers as
 * variable-length bytes; the postings are then placed window by window (positions [lo, hi) of the
 * final list) by decoding those bytes again, so only one window of postings is held at a time.
 *
 * Why (5M rows, copy of the shared case, one process, maxRSS): 16a's build held its list of token
 * numbers as Uint32 (23M entries, 92 MB) and the whole postings (19.1M ids, 76 MB) at once: 355 MB
 * alone, 417.8 MB in the import. As bytes the list is ~2 bytes an entry (token numbers are given in
 * order of first occurrence: frequent tokens come early and small); decoding it once per window of
 * 4M postings costs ~0.1 s a window.
 */

/** ASCII letters and digits, and every non-ASCII character, are token characters. */
export function isTokenChar(c: number): boolean {
  return c > 0x7f || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** ASCII upper case to lower case only: LIKE folds no other letter (not the Kelvin sign, not `Ä`). */
export function foldAscii(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
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

/** Bytes per block of the list (a value's entries never straddle two blocks). */
const BLOCK_BYTES = 1 << 20;
/** Most bytes one LEB128 number of up to 32 bits takes. */
const MAX_VARINT = 5;

/** What the first pass found: the tokens, where each one's postings start, and the list to place them from. */
export interface TokenCollection {
  /** The distinct tokens, each followed by '\n' (a separator: no word matches across two). */
  readonly text: string;
  /** Token k's postings are positions offsets[k] .. offsets[k + 1] of the final list (tokens + 1 entries). */
  readonly offsets: Uint32Array;
  /** Per value with tokens: its id's step from the previous one, its number of tokens, their numbers (LEB128). */
  readonly blocks: readonly Uint8Array[];
  /** Bytes used of each block. */
  readonly used: readonly number[];
}

/**
 * The first pass over (id, value) rows, ids ascending and positive: each token looked up once per
 * value holding it, and nothing of a value kept but its bytes in the list.
 */
export function collectTokens(rows: Iterable<readonly [number, string]>): TokenCollection {
  const index = new Map<string, number>();
  const tokens: string[] = [];
  let counts = new Uint32Array(1024);
  const blocks: Uint8Array[] = [];
  const used: number[] = [];
  let block = new Uint8Array(0);
  let at = 0;
  const put = (v: number): void => {
    while (v >= 0x80) {
      block[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    block[at++] = v;
  };
  let last = 0;
  for (const [id, value] of rows) {
    if (!(id > last) || id > 0xffffffff) throw new Error(`vocabulary id not ascending: ${id}`);
    const ts = tokensOf(value);
    if (ts.length === 0) continue;
    const need = MAX_VARINT * (ts.length + 2);
    if (block.length - at < need) {
      if (blocks.length > 0) used[blocks.length - 1] = at;
      block = new Uint8Array(Math.max(BLOCK_BYTES, need));
      blocks.push(block);
      used.push(0);
      at = 0;
    }
    put(id - last);
    put(ts.length);
    last = id;
    for (const t of ts) {
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
      put(k);
    }
  }
  if (blocks.length > 0) used[blocks.length - 1] = at;
  const offsets = new Uint32Array(tokens.length + 1);
  for (let k = 0; k < tokens.length; k++) offsets[k + 1] = offsets[k] + counts[k];
  return { text: tokens.map((t) => `${t}\n`).join(''), offsets, blocks, used };
}

/** How many postings the collection places. */
export function postingsLength(c: TokenCollection): number {
  return c.offsets[c.offsets.length - 1];
}

/**
 * Positions [lo, hi) of the final postings list (per token its ids ascending, tokens in order): the
 * list decoded once, each posting placed when its position falls in the window.
 */
export function placeWindow(c: TokenCollection, lo: number, hi: number): Uint32Array {
  const out = new Uint32Array(hi - lo);
  const { offsets } = c;
  const next = offsets.slice(0, offsets.length - 1);
  let id = 0;
  for (let b = 0; b < c.blocks.length; b++) {
    const block = c.blocks[b];
    const end = c.used[b];
    let i = 0;
    // Inlined LEB128 reads: this loop runs over ~27M numbers per window at 5M rows.
    while (i < end) {
      let v = 0;
      let shift = 0;
      let byte;
      do {
        byte = block[i++];
        v += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte >= 0x80);
      id += v;
      let n = 0;
      shift = 0;
      do {
        byte = block[i++];
        n |= (byte & 0x7f) << shift;
        shift += 7;
      } while (byte >= 0x80);
      for (; n > 0; n--) {
        let k = 0;
        shift = 0;
        do {
          byte = block[i++];
          k |= (byte & 0x7f) << shift;
          shift += 7;
        } while (byte >= 0x80);
        if (offsets[k + 1] <= lo || offsets[k] >= hi) continue;
        const p = next[k]++;
        if (p >= lo && p < hi) out[p - lo] = id;
      }
    }
  }
  return out;
}
