/**
 * Byte-level UTF-8 checks for the rare chunks the fast paths cannot take: where exactly a file stops
 * being valid UTF-8, and whether its high bytes look like UTF-8 at all (to tell a UTF-8 export with a
 * stray byte from a Windows-1252 export).
 */

/** Length of the sequence a lead byte announces by its shape (0 for a byte that cannot lead). */
function shapeLength(b: number): number {
  if (b < 0x80) return 1;
  if (b < 0xc0) return 0;
  if (b < 0xe0) return 2;
  if (b < 0xf0) return 3;
  if (b < 0xf8) return 4;
  return 0;
}

/** Length of the well-formed UTF-8 sequence at `i` (Unicode table 3-7), or 0 when it is not one. */
function validLength(data: Uint8Array, i: number): number {
  const b = data[i];
  if (b < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const c = data[i + k];
    return c !== undefined && c >= lo && c <= hi;
  };
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0; // no surrogates
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** Offsets of the bytes that are not part of a well-formed sequence. */
export function invalidUtf8(data: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < data.length;) {
    const len = validLength(data, i);
    if (len === 0) {
      out.push(i);
      i++;
    } else i += len;
  }
  return out;
}

export interface Utf8Evidence {
  /** Multi-byte sequences shaped like UTF-8 (lead byte plus its continuation bytes), valid or not. */
  readonly shaped: number;
  /** High bytes that are not part of such a shape: what a Windows-1252 file is made of. */
  readonly stray: number;
}

/**
 * A Windows-1252 text almost never has a lead byte followed by exactly its continuation bytes, and a
 * UTF-8 text always does; CESU surrogates and overlong forms count as shaped too (they are UTF-8 gone
 * wrong, not Windows-1252). A sequence cut by the end of `data` is not counted either way.
 */
export function utf8Evidence(data: Uint8Array): Utf8Evidence {
  let shaped = 0;
  let stray = 0;
  for (let i = 0; i < data.length;) {
    const b = data[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = shapeLength(b);
    if (len >= 2) {
      if (i + len > data.length) break;
      let k = 1;
      while (k < len && ((data[i + k] ?? 0) & 0xc0) === 0x80) k++;
      if (k === len) {
        shaped++;
        i += len;
        continue;
      }
    }
    stray++;
    i++;
  }
  return { shaped, stray };
}

/** Where the last complete character of `data` ends (a sequence cut at the end is left for the next chunk). */
export function completeUpTo(data: Uint8Array): number {
  const n = data.length;
  let i = n - 1;
  while (i >= 0 && i > n - 4 && ((data[i] ?? 0) & 0xc0) === 0x80) i--;
  if (i < 0) return n;
  const len = shapeLength(data[i]);
  return len >= 2 && n - i < len ? i : n;
}
