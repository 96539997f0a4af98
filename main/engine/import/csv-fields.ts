/**
 * The character-level half of the CSV parser (csv.ts): a record with quotes, field by field. Kept
 * apart so the parser's chunk and carry logic stays readable; the parser calls these per record.
 */
import { countBreaks } from './csv-scan';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** One parsed record, or why it could not be parsed yet ('more': needs the next chunk). */
export type Slow = { fields: string[]; end: number; next: number; lines: number } | 'more' | 'unterminated';

/** Parses one record containing quotes starting at `pos`; `delim` is the delimiter's char code. */
export function parseQuoted(buf: string, pos: number, final: boolean, delim: number): Slow {
  const n = buf.length;
  const fields: string[] = [];
  let lines = 0;
  let p = pos;
  for (;;) {
    let value: string;
    if (p < n && buf.charCodeAt(p) === QUOTE) {
      value = '';
      let q = p + 1;
      for (;;) {
        const j = buf.indexOf('"', q);
        if (j === -1) return final ? 'unterminated' : 'more';
        if (j + 1 >= n && !final) return 'more';
        lines += countBreaks(buf, q, j);
        if (buf.charCodeAt(j + 1) === QUOTE) {
          value += buf.slice(q, j + 1);
          q = j + 2;
          continue;
        }
        value += buf.slice(q, j);
        p = j + 1;
        break;
      }
      // Lenient: text between the closing quote and the delimiter is kept, as Excel does.
      const k = fieldEnd(buf, p, delim);
      if (k >= n && !final) return 'more';
      if (k > p) value += buf.slice(p, k);
      p = k;
    } else {
      const k = fieldEnd(buf, p, delim);
      if (k >= n && !final) return 'more';
      value = buf.slice(p, k);
      p = k;
    }
    fields.push(value);
    if (p >= n) return { fields, end: n, next: n, lines };
    const c = buf.charCodeAt(p);
    if (c === LF) return { fields, end: p, next: p + 1, lines };
    if (c === CR) {
      if (p + 1 < n) return { fields, end: p, next: buf.charCodeAt(p + 1) === LF ? p + 2 : p + 1, lines };
      if (!final) return 'more';
      return { fields, end: p, next: n, lines };
    }
    p++; // delimiter
    if (p >= n && !final) return 'more';
  }
}

/** Index of the delimiter or line break that ends an unquoted field (or its tail) starting at `p`. */
export function fieldEnd(buf: string, p: number, delim: number): number {
  const n = buf.length;
  let k = p;
  while (k < n) {
    const c = buf.charCodeAt(k);
    if (c === delim || c === LF || c === CR) break;
    k++;
  }
  return k;
}

/**
 * A record with quotes that sit on one line, each quoted field plainly `"..."` (no doubled quotes,
 * nothing after the closing quote): the split pieces of a quoted field are joined back. A third of
 * the portal's records quote their SMTP text (it has commas); this keeps them off the character loop.
 * Null for anything else, which the full parser then reads.
 */
export function quotedOnOneLine(pieces: string[], delimiter: string): string[] | null {
  const fields: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    if (p.charCodeAt(0) !== QUOTE) {
      if (p.includes('"')) return null;
      fields.push(p);
      continue;
    }
    let value = p;
    while (value.length < 2 || value.charCodeAt(value.length - 1) !== QUOTE) {
      if (++i >= pieces.length) return null; // the quote runs past the line
      value += delimiter + pieces[i];
    }
    const inner = value.slice(1, -1);
    if (inner.includes('"')) return null;
    fields.push(inner);
  }
  return fields;
}
