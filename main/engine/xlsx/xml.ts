/**
 * SpreadsheetML text rules shared by the reader and the writer: cell references, XML escaping and
 * OOXML's `_xHHHH_` escapes (how a workbook stores characters XML 1.0 cannot carry).
 */

/** Column letters for a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** 0-based column index of a cell reference such as `AB12`; -1 when it does not start with letters. */
export function columnIndexOf(ref: string): number {
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20;
    if (c < 97 || c > 122) break;
    n = n * 26 + (c - 96);
  }
  return i === 0 ? -1 : n - 1;
}

/** 1-based row number of a cell reference (`AB12` -> 12); NaN when there is none. */
export function rowNumberOf(ref: string): number {
  const m = /(\d+)$/.exec(ref);
  return m ? Number(m[1]) : NaN;
}

// Characters XML 1.0 cannot carry (C0 controls but tab/LF, lone surrogates, U+FFFE/U+FFFF), CR
// (every XML parser turns it into LF), and the `_x` that would otherwise read as an escape's start.
const NEEDS_OOXML_ESCAPE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const OOXML_ESCAPE_ALL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\ufffe\uffff]|_(?=x[0-9a-fA-F]{4}_)|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML_SPECIAL = /[&<>"]/;
const XML_SPECIAL_ALL = /[&<>"]/g;
const XML_ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

function hex4(code: number): string {
  return `_x${code.toString(16).toUpperCase().padStart(4, '0')}_`;
}

/** Text for an element or attribute: XML-escaped, with OOXML escapes for what XML cannot hold. */
export function escapeText(s: string): string {
  let v = s;
  if (NEEDS_OOXML_ESCAPE.test(v)) v = v.replace(OOXML_ESCAPE_ALL, (c) => hex4(c.charCodeAt(0)));
  return XML_SPECIAL.test(v) ? v.replace(XML_SPECIAL_ALL, (c) => XML_ENTITY[c]) : v;
}

const OOXML_ESCAPE = /_x([0-9a-fA-F]{4})_/g;

/** Undoes `_xHHHH_` escapes in text read from a workbook (`_x005F_` is a literal underscore). */
export function unescapeOoxml(s: string): string {
  if (!s.includes('_x')) return s;
  return s.replace(OOXML_ESCAPE, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}
