/**
 * Streaming CSV parser over decoded text. Written here rather than taken from a library because the
 * importer needs what the libraries do not give cheaply: the physical line where each record starts,
 * the raw text of a bad record, and recovery after an unterminated quote. Records without quotes take
 * a fast path (one `split`); quoted fields keep their content byte for byte, CRLF inside included.
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;
/** A quoted field longer than this is taken to be an unterminated quote, so memory stays bounded. */
export const MAX_RECORD_CHARS = 1 << 20;

export interface CsvSink {
  /** One record; `buf.slice(start, end)` is its raw text (without the line break). */
  record(fields: string[], line: number, buf: string, start: number, end: number): void;
  /** A record that could not be split into fields; parsing resumes on the next physical line. */
  bad(line: number, reason: string, raw: string): void;
}

type Slow = { fields: string[]; end: number; next: number } | 'more' | 'unterminated';

export class CsvParser {
  /** Field count of the header; a multi-line record with another count is treated as a quoting error. */
  expectedFields = 0;
  private carry = '';
  private line = 1;
  private readonly delim: number;

  constructor(
    private readonly delimiter: string,
    private readonly sink: CsvSink,
  ) {
    this.delim = delimiter.charCodeAt(0);
  }

  push(text: string): void {
    this.run(this.carry === '' ? text : this.carry + text, false);
  }

  end(): void {
    this.run(this.carry, true);
    this.carry = '';
  }

  private run(buf: string, final: boolean): void {
    const n = buf.length;
    let pos = 0;
    let nextQuote = buf.indexOf('"');
    while (pos < n) {
      let nl = buf.indexOf('\n', pos);
      if (nl === -1) {
        if (!final) break;
        nl = n;
      }
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = buf.indexOf('"', pos);
      const end = nl > pos && buf.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      const quoted = nextQuote !== -1 && nextQuote < nl;
      // A line without quotes is one split (an empty line is no record); one whose quoted fields
      // close on it is rejoined from the split; anything else goes through the full parser below.
      const fields = quoted
        ? quotedOnOneLine(buf.slice(pos, end).split(this.delimiter), this.delimiter)
        : end > pos
          ? buf.slice(pos, end).split(this.delimiter)
          : null;
      if (!quoted || fields !== null) {
        if (fields !== null) this.sink.record(fields, this.line, buf, pos, end);
        this.line++;
        pos = nl + 1;
        continue;
      }
      const r = this.slow(buf, pos, final);
      if (r === 'more') break;
      if (r === 'unterminated') {
        this.skipLine(buf, pos, nl, 'unterminated quote: a quoted field is never closed');
        pos = nl + 1;
        continue;
      }
      const spanned = countLf(buf, pos, r.end) + 1;
      if (spanned > 1 && this.expectedFields > 0 && r.fields.length !== this.expectedFields) {
        // A stray quote swallowed the following lines; give them back and blame only this line.
        this.skipLine(
          buf,
          pos,
          nl,
          'unterminated or misplaced quote: the quoted field runs into the next line',
        );
        pos = nl + 1;
        continue;
      }
      this.sink.record(r.fields, this.line, buf, pos, r.end);
      this.line += spanned;
      pos = r.next;
    }
    this.carry = pos < n ? buf.slice(pos) : '';
    if (!final && this.carry.length > MAX_RECORD_CHARS) {
      const nl = this.carry.indexOf('\n');
      this.skipLine(
        this.carry,
        0,
        nl === -1 ? this.carry.length : nl,
        'unterminated quote: a quoted field is never closed',
      );
      this.carry = nl === -1 ? '' : this.carry.slice(nl + 1);
    }
  }

  private skipLine(buf: string, pos: number, nl: number, reason: string): void {
    const end = nl > pos && buf.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
    this.sink.bad(this.line, reason, buf.slice(pos, end));
    this.line++;
  }

  /** Parses one record containing quotes starting at `pos`. */
  private slow(buf: string, pos: number, final: boolean): Slow {
    const n = buf.length;
    const delim = this.delim;
    const fields: string[] = [];
    let p = pos;
    for (;;) {
      let value: string;
      if (buf.charCodeAt(p) === QUOTE) {
        value = '';
        let q = p + 1;
        for (;;) {
          const j = buf.indexOf('"', q);
          if (j === -1 || j - pos > MAX_RECORD_CHARS)
            return final || n - pos > MAX_RECORD_CHARS ? 'unterminated' : 'more';
          if (j + 1 >= n && !final) return 'more';
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
        let k = p;
        while (k < n) {
          const c = buf.charCodeAt(k);
          if (c === delim || c === LF) break;
          k++;
        }
        if (k >= n && !final) return 'more';
        const tailEnd =
          k < n && buf.charCodeAt(k) === LF && k > p && buf.charCodeAt(k - 1) === CR ? k - 1 : k;
        if (tailEnd > p) value += buf.slice(p, tailEnd);
        p = k;
      } else {
        let k = p;
        while (k < n) {
          const c = buf.charCodeAt(k);
          if (c === delim || c === LF) break;
          k++;
        }
        if (k >= n && !final) return 'more';
        const end = k < n && buf.charCodeAt(k) === LF && k > p && buf.charCodeAt(k - 1) === CR ? k - 1 : k;
        value = buf.slice(p, end);
        p = k;
      }
      fields.push(value);
      if (p >= n) return { fields, end: n, next: n };
      if (buf.charCodeAt(p) === LF) {
        const end = p > pos && buf.charCodeAt(p - 1) === CR ? p - 1 : p;
        return { fields, end, next: p + 1 };
      }
      p++; // delimiter
      if (p >= n && !final) return 'more';
    }
  }
}

/**
 * A record with quotes that sit on one line, each quoted field plainly `"..."` (no doubled quotes,
 * nothing after the closing quote): the split pieces of a quoted field are joined back. A third of
 * the portal's records quote their SMTP text (it has commas); this keeps them off the character loop.
 * Null for anything else, which the full parser then reads.
 */
function quotedOnOneLine(pieces: string[], delimiter: string): string[] | null {
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

function countLf(buf: string, from: number, to: number): number {
  let count = 0;
  let i = buf.indexOf('\n', from);
  while (i !== -1 && i < to) {
    count++;
    i = buf.indexOf('\n', i + 1);
  }
  return count;
}
