/**
 * Finds where a long record ends without parsing it: the same quoting rules as the parser's full path
 * (a quote opens a field only at its start, `""` inside quotes is a quote, text after the closing quote
 * runs to the delimiter), kept as state across pieces of text so each character is looked at once.
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: doubled (still quoted) or closing, decided by the next character. */
  QuotedQuote,
  AfterClose,
}

/** Physical line breaks in buf[from, to): LF, CR and CRLF each count once. */
export function countBreaks(buf: string, from: number, to: number): number {
  let lines = 0;
  let i = buf.indexOf('\n', from);
  while (i !== -1 && i < to) {
    lines++;
    i = buf.indexOf('\n', i + 1);
  }
  i = buf.indexOf('\r', from);
  while (i !== -1 && i < to) {
    if (i + 1 >= to || buf.charCodeAt(i + 1) !== LF) lines++;
    i = buf.indexOf('\r', i + 1);
  }
  return lines;
}

export class RecordScan {
  /** Line breaks seen inside quoted fields so far. */
  lines = 0;
  /** The record's end is a CR that closed the last piece: the next piece decides only CR vs CRLF. */
  pendingCr = false;
  private state = State.FieldStart;
  /** The last quoted character of the previous piece was a CR (an LF first in this piece pairs with it). */
  private crLast = false;

  constructor(private readonly delim: number) {}

  inQuotes(): boolean {
    return this.state === State.Quoted;
  }

  /** Scans `t`; returns the index of the CR or LF that ends the record, or -1 when it goes on. */
  feed(t: string): number {
    const n = t.length;
    let s = this.state;
    if (s !== State.Quoted && s !== State.QuotedQuote && t.indexOf('"') === -1) {
      // No quote can open: the record ends at the first line break (a huge unquoted line, mostly).
      const lf = t.indexOf('\n');
      const cr = t.indexOf('\r');
      const at = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (at !== -1) return at;
      const last = t.charCodeAt(n - 1);
      if (n > 0)
        this.state =
          last === this.delim
            ? State.FieldStart
            : s === State.AfterClose && !t.includes(String.fromCharCode(this.delim))
              ? State.AfterClose
              : State.Unquoted;
      return -1;
    }
    let i = 0;
    while (i < n) {
      if (s === State.Quoted) {
        const j = t.indexOf('"', i);
        const stop = j === -1 ? n : j;
        if (stop > i) {
          let breaks = countBreaks(t, i, stop);
          if (this.crLast && t.charCodeAt(i) === LF) breaks--;
          this.lines += breaks;
          this.crLast = t.charCodeAt(stop - 1) === CR;
        }
        if (j === -1) break;
        s = State.QuotedQuote;
        this.crLast = false;
        i = j + 1;
        continue;
      }
      const c = t.charCodeAt(i);
      if (s === State.QuotedQuote) {
        if (c === QUOTE) {
          s = State.Quoted;
          i++;
          continue;
        }
        s = State.AfterClose;
        continue;
      }
      if (s === State.FieldStart && c === QUOTE) {
        s = State.Quoted;
        this.crLast = false;
        i++;
        continue;
      }
      if (c === LF || c === CR) {
        this.state = s;
        return i;
      }
      s = c === this.delim ? State.FieldStart : s === State.FieldStart ? State.Unquoted : s;
      i++;
    }
    this.state = s;
    return -1;
  }
}
