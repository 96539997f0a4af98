/**
 * Finds the addresses whose local parts are one letter slip apart (edits.ts) at the same domain
 * without comparing every pair: each local part is filed under itself and under every string it
 * gives with one letter deleted. Two strings one letter slip apart always share such a key: a
 * replaced letter deleted from both, an inserted one deleted from the longer (which then equals the
 * shorter), a swapped pair deleted at neighbouring positions (x c1 c2 y and x c2 c1 y give x c2 y).
 * A probe costs a few table look-ups instead of a pass over every address with the same first or
 * last half ("anna.be..." at one domain: thousands on the bench data, 34 s at 1M rows).
 * The keys are polynomial hashes (mod 2^32) of (local part without one letter, domain), computed for every
 * deletion in one pass without building strings, and filed in typed arrays: the scan visits every
 * address of the case, and a string or an object per key made it allocation-bound. Equal strings
 * have equal keys; a collision only adds a candidate, and the caller confirms each with localSlip.
 */
// Arithmetic modulo 2^32 (Math.imul, | 0): floating-point modulo of a prime made the key pass 3x slower.
const B = 131;
let pow = new Int32Array(0);
let pre = new Int32Array(0);

function grow(n: number): void {
  if (pow.length > n) return;
  pow = new Int32Array(2 * n + 2);
  pre = new Int32Array(2 * n + 2);
  pow[0] = 1;
  for (let i = 1; i < pow.length; i++) pow[i] = Math.imul(pow[i - 1] ?? 0, B);
}

const isLetter = (c: number): boolean => c >= 97 && c <= 122;

function domainHash(s: string, from: number): number {
  let h = 7;
  for (let i = from; i < s.length; i++) h = (Math.imul(h, B) + s.charCodeAt(i)) | 0;
  return h;
}

/** Mixes a local-part hash with the domain's into one 32-bit key. */
const mix = (k: number, d: number): number => (Math.imul(k ^ (k >>> 15), 0x2c1b3c6d) ^ d) | 0;

/**
 * The keys of the local part of `address` (up to its last '@'): the whole local part, then every
 * deletion of one letter (a-z; of a double letter only the first, the second giving the same
 * string). Written to `out`; returns their number (0 without '@').
 */
export function slipKeys(address: string, out: Int32Array): number {
  const at = address.lastIndexOf('@');
  if (at <= 0) return 0;
  const d = domainHash(address, at + 1);
  grow(at);
  pre[0] = 0;
  for (let i = 0; i < at; i++) pre[i + 1] = (Math.imul(pre[i] ?? 0, B) + address.charCodeAt(i)) | 0;
  let n = 0;
  out[n++] = mix(pre[at] ?? 0, d);
  let suf = 0; // hash of the local part after position i, its last character at power 0
  for (let i = at - 1; i >= 0; i--) {
    const c = address.charCodeAt(i);
    const p = pow[at - 1 - i] ?? 0;
    if (isLetter(c) && !(i > 0 && address.charCodeAt(i - 1) === c))
      out[n++] = mix((Math.imul(pre[i] ?? 0, p) + suf) | 0, d);
    suf = (Math.imul(c, p) + suf) | 0;
  }
  return n;
}

/** Addresses filed by their slip keys; probe with another address to get the ones sharing a key. */
export class SlipIndex {
  private readonly heads: Int32Array;
  private readonly mask: number;
  private readonly keys: Int32Array;
  private readonly owner: Int32Array;
  private readonly next: Int32Array;
  /** 8 bits per slot, one set per key: most probes miss, and this 1/16 of the heads' size stays in cache. */
  private readonly bits: Uint32Array;
  private readonly shift: number;
  private readonly scratch = new Int32Array(1024);

  /** `addresses`: lower-cased; entry i is addresses[i]. */
  constructor(readonly addresses: readonly string[]) {
    let room = 0;
    for (const a of addresses) room += a.length + 1;
    // Keys first, then a head table of about one slot per key: small enough to stay in cache
    // (sized by the string lengths it was four times larger and the scan ~2x slower).
    this.keys = new Int32Array(room);
    this.owner = new Int32Array(room);
    let m = 0;
    addresses.forEach((a, e) => {
      const buf = this.buffer(a);
      const n = slipKeys(a, buf);
      for (let j = 0; j < n; j++) {
        this.keys[m] = buf[j] ?? 0;
        this.owner[m++] = e;
      }
    });
    let size = 1024;
    while (size < m) size *= 2;
    this.heads = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.next = new Int32Array(m);
    this.bits = new Uint32Array(size / 4);
    this.shift = 32 - Math.log2(size * 8);
    for (let i = 0; i < m; i++) {
      const k = this.keys[i] ?? 0;
      const b = Math.imul(k, 0x9e3779b1) >>> this.shift;
      this.bits[b >>> 5] = (this.bits[b >>> 5] ?? 0) | (1 << (b & 31));
      const slot = k & this.mask;
      this.next[i] = this.heads[slot] ?? -1;
      this.heads[slot] = i;
    }
  }

  private buffer(address: string): Int32Array {
    // Longer than any local part seen so far: a larger scratch array (rare).
    return address.length < this.scratch.length ? this.scratch : new Int32Array(address.length + 1);
  }

  /** Every entry sharing a key with `address` (an entry may come more than once; same domain likely, not certain). */
  probe(address: string, visit: (entry: number) => void): void {
    const buf = this.buffer(address);
    const n = slipKeys(address, buf);
    for (let j = 0; j < n; j++) {
      const k = buf[j] ?? 0;
      const b = Math.imul(k, 0x9e3779b1) >>> this.shift;
      if (((this.bits[b >>> 5] ?? 0) & (1 << (b & 31))) === 0) continue;
      for (let m = this.heads[k & this.mask] ?? -1; m !== -1; m = this.next[m] ?? -1)
        if (this.keys[m] === k) visit(this.owner[m] ?? 0);
    }
  }
}
