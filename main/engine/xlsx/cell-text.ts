/** Small in-place readers of a sheet's cell text (sheet.ts), apart so that the parser stays readable. */
const PLAIN_INT = /^-?\d{1,15}$/;

/** A number cell's text as the CSV path would have it: plain integers as written, others through Number. */
export function numberText(v: string): string {
  if (PLAIN_INT.test(v)) return v;
  const n = Number(v);
  return Number.isFinite(n) ? String(n) : v;
}

/** columnIndexOf over buf[from, to) without slicing it. */
export function letters(buf: string, from: number, to: number): number {
  let n = 0;
  let i = from;
  for (; i < to; i++) {
    const c = buf.charCodeAt(i) | 0x20;
    if (c < 97 || c > 122) break;
    n = n * 26 + (c - 96);
  }
  return i === from ? -1 : n - 1;
}

/** Number(text) of buf[from, to), read in place when it is a few plain digits. */
export function digitsOr(buf: string, from: number, to: number): number {
  if (to - from === 0 || to - from > 9) return Number(buf.slice(from, to));
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = buf.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number(buf.slice(from, to));
    n = n * 10 + d;
  }
  return n;
}
