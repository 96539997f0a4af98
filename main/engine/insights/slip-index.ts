/**
 * Finds the local parts one letter slip apart (edits.ts) without comparing every pair: each string
 * is filed under itself and under every string it gives with one letter deleted. Two strings one
 * letter slip apart always share such a key: a replaced letter deleted from both, an inserted one
 * deleted from the longer (which then equals the shorter), a swapped pair deleted at neighbouring
 * positions (x c1 c2 y and x c2 c1 y both give x c2 y). A probe costs a few map look-ups instead of a
 * pass over every address with the same first or last half ("anna.be..." at one domain: thousands
 * on the bench data, 34 s at 1M rows).
 * The keys are polynomial hashes, computed for all deletions of a string in one pass without building
 * the strings (string keys measured 10-20x slower at 1M addresses). Equal strings have equal hashes;
 * the rare collision only adds a candidate, and the caller confirms every candidate with localSlip.
 */
const P = 67_108_859; // a prime below 2^26: a hash times a power stays below 2^53
const B = 131;
const pow: number[] = [1];

function powers(n: number): void {
  while (pow.length <= n) pow.push(((pow[pow.length - 1] ?? 1) * B) % P);
}

const isLetter = (c: number): boolean => c >= 97 && c <= 122;

/**
 * Hash of `s` (first) and of every `s` with one letter (a-z) deleted. Deleting either letter of a
 * double letter gives the same string, so only the first is listed.
 */
export function slipKeys(s: string, out: number[] = []): number[] {
  const n = s.length;
  powers(n);
  out.length = 0;
  // pre[i]: hash of s[0, i); suffix hashes are accumulated from the end below.
  const pre = new Array<number>(n + 1);
  pre[0] = 0;
  for (let i = 0; i < n; i++) pre[i + 1] = ((pre[i] ?? 0) * B + s.charCodeAt(i)) % P;
  out.push(pre[n] ?? 0);
  let suf = 0; // hash of s[i + 1, n), its last character at power 0
  for (let i = n - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (isLetter(c) && !(i > 0 && s.charCodeAt(i - 1) === c))
      out.push(((pre[i] ?? 0) * (pow[n - 1 - i] ?? 0) + suf) % P);
    suf = (c * (pow[n - 1 - i] ?? 0) + suf) % P;
  }
  return out;
}

/** Entries filed by group (e.g. domain and length) and slip key of their local part. */
export class SlipIndex<T> {
  private readonly groups = new Map<string, Map<number, T[]>>();
  private readonly keys: number[] = [];

  add(group: string, local: string, entry: T): void {
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = new Map<number, T[]>()));
    for (const k of slipKeys(local, this.keys)) {
      const list = g.get(k);
      if (list) list.push(entry);
      else g.set(k, [entry]);
    }
  }

  has(group: string): boolean {
    return this.groups.has(group);
  }

  /** Every entry of `group` sharing a key with `local` (an entry may come more than once). */
  probe(group: string, local: string, visit: (entry: T) => void): void {
    const g = this.groups.get(group);
    if (!g) return;
    for (const k of slipKeys(local, this.keys)) {
      const list = g.get(k);
      if (list) for (const e of list) visit(e);
    }
  }
}
