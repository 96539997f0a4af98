/**
 * SQLite's ORDER BY order of column values, in JS, for the in-memory codes (column-codes.ts): NULL
 * first, then numbers (INTEGER and REAL compared by value), then TEXT by the BINARY collation (UTF-8
 * bytes, i.e. code points), then BLOBs. The columns kept there have no collation of their own.
 */

/** A value as json_group_array hands it over: TEXT as string, INTEGER and REAL as number. */
export type SqlValue = string | number | null;

function typeRank(v: SqlValue): number {
  return v === null ? 0 : typeof v === 'number' ? 1 : 2;
}

/**
 * UTF-16 code units compared as code points (= UTF-8 byte order): a surrogate (a code point above
 * U+FFFF) sorts after U+E000-U+FFFF, where plain `<` puts it before.
 */
function codePoint(u: number): number {
  return u >= 0xd800 && u <= 0xdfff ? u + 0x2000 : u >= 0xe000 ? u - 0x800 : u;
}

export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePoint(x) - codePoint(y);
  }
  return a.length - b.length;
}

/** Negative, 0 or positive as SQLite orders a before, with or after b. */
export function compareSqlValues(a: SqlValue, b: SqlValue): number {
  const ta = typeRank(a);
  const tb = typeRank(b);
  if (ta !== tb) return ta - tb;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b);
  return 0;
}

/**
 * One key per value SQLite holds equal (1 and 1.0 are one value; '1' is another), or null for a
 * number JSON cannot carry exactly (an integer beyond 2^53 arrives rounded: two values would merge).
 */
export function valueKey(v: SqlValue): string | null {
  if (v === null) return 'n';
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v) ? null : `f${v}`;
  return `s${v}`;
}
