/**
 * The dedupe key of a record: a second import of the same record is recognised by it (import/rows.ts
 * computes it in the parse worker). 16 base64 characters of SHA-1 over the record's text fields.
 */
import { createHash, hash } from 'node:crypto';

/** The key of a record's fields joined by NUL (or of nulSafeKeyText for records holding NUL). */
export function keyOf(text: string): string {
  return hash('sha1', text, 'base64').slice(0, 16);
}

/** The same key as keyOf(v.join(NUL)), hashed field by field instead of joining a huge record first. */
export function bigKey(v: readonly string[]): string {
  const h = createHash('sha1');
  v.forEach((s, i) => {
    if (i > 0) h.update('\u0000');
    h.update(s);
  });
  return h.digest('base64').slice(0, 16);
}

/**
 * The dedupe key's text for a record holding NUL. Fields joined by NUL alone would let ("a\0b", "c")
 * and ("a", "b\0c") collide. Here each field's NUL and U+0001 are escaped, and one more NUL goes at
 * the end: a record without NUL has exactly one NUL fewer than fields, so the two kinds never meet,
 * and every key of a record without NUL (all records of older workspaces) stays as it was.
 */
export function nulSafeKeyText(v: readonly string[]): string {
  return `${v.map((s) => s.replaceAll('\u0001', '\u0001\u0001').replaceAll('\u0000', '\u0001\u0002')).join('\u0000')}\u0000`;
}
