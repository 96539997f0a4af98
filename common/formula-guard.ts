/**
 * The formula-injection guard's rule, shared by the export (JS and SQL paths) and the renderer's
 * copy-as-CSV. A spreadsheet runs a cell as a formula when its first significant character is a
 * formula sign, and Excel and LibreOffice skip leading spaces, line breaks, no-break and ideographic
 * spaces, and invisible format characters (zero-width space, BOM, bidi marks) to find it. They also
 * accept the full-width and small sign variants and the minus sign U+2212. A cell starting with TAB
 * or CR is guarded as OWASP lists it. Plain string code: no Node, no DOM.
 */

/** Code points skipped before the first significant character: white space and format characters. */
export const GUARD_SKIP_CODES: readonly number[] = [
  // ASCII white space (TAB, LF, VT, FF, CR, space) and NEL
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85,
  // no-break, ogham, en/em/thin/hair... spaces, line/paragraph separators, narrow nbsp, math space, ideographic
  0xa0,
  0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028,
  0x2029, 0x202f, 0x205f, 0x3000,
  // format characters: soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width space/
  // non-joiner/joiner, LRM/RLM, bidi embeddings and isolates, word joiner and invisible operators, BOM
  0xad, 0x061c, 0x180e, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
  0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff,
];

/** Formula signs: = + - @, their full-width and small forms, and the minus sign. */
export const GUARD_SIGN_CODES: readonly number[] = [
  0x3d, 0x2b, 0x2d, 0x40, 0xff1d, 0xff0b, 0xff0d, 0xff20, 0x2212, 0xfe66, 0xfe62, 0xfe63, 0xfe6b,
];

/** Guarded whatever follows (OWASP): TAB and CR as the very first character. */
export const GUARD_FIRST_CODES: readonly number[] = [0x09, 0x0d];

function charClass(codes: readonly number[]): string {
  return codes.map((c) => `\\u{${c.toString(16)}}`).join('');
}

/** Source of a regex matching a guarded cell's start (use with the `u` flag). */
export const GUARD_START_SOURCE = `(?:[${charClass(GUARD_FIRST_CODES)}]|[${charClass(GUARD_SKIP_CODES)}]*[${charClass(GUARD_SIGN_CODES)}])`;

const GUARD_START = new RegExp(`^${GUARD_START_SOURCE}`, 'u');

/** Whether a spreadsheet could read the cell as a formula. */
export function needsFormulaGuard(value: string): boolean {
  return GUARD_START.test(value);
}

/** The cell as it is written with the guard on: a leading apostrophe makes it text. */
export function guardCell(value: string): string {
  return needsFormulaGuard(value) ? `'${value}` : value;
}
