/**
 * Streaming CSV parser over decoded text. Written here rather than taken from a library because the
 * importer needs what the libraries do not give cheaply: the physical line where each record starts,
 * the raw text of a bad record, and recovery after an unterminated quote (so a bad row is rejected with
 * its line number and the rest still imports). Records without quotes take a fast path (one `split`);
 * quoted fields keep their content byte for byte, line breaks inside included.
 *
 * Line breaks are LF, CRLF and a lone CR (Excel's "CSV (Macintosh)"), mixed freely; each is one
 * physical line. A record may be up to MAX_RECORD_CHARS long. A record that is still incomplete after
 * HOLD_CHARS is kept as a list of pieces and scanned incrementally (joining the carry to every new
 * chunk would copy it again for each chunk: quadratic for a 50 MB field). Past MAX_RECORD_CHARS the
 * pieces are dropped and the parser only looks for the record's end, which it then rejects as a whole.
 */
import { parseQuoted, quotedOnOneLine } from './csv-fields';
import { RecordScan } from './csv-scan';

const LF = 10;
const CR = 13;
/** The longest record imported; a longer one is rejected whole and parsing resumes after it. */
export const MAX_RECORD_CHARS = 64 * 1024 * 1024;
/** Carries below this are joined to the next chunk; longer ones are held as pieces (see above). */
const HOLD_CHARS = 256 * 1024;
const RAW_PREFIX_CHARS = 4096;

export interface CsvSink {
  /** One record; `buf.slice(start, end)` is its raw text (without the line break). */
  record(fields: string[], line: number, buf: string, start: number, end: number): void;
  /** A record that could not be split into fields; parsing resumes on the next physical line. */
  bad(line: number, reason: string, raw: string): void;
}

export class CsvParser {
  /** Field count of the header; a multi-line record with another count is treated as a quoting error. */
  expectedFields = 0;
  /** Offset, in characters of all text pushed so far, of the `buf` handed to the sink. */
  base = 0;
  /** Changes whenever the sink is handed another `buf`: lets it check a buffer once, not per record. */
  bufId = 0;
  private total = 0;
  private carry = '';
  private line = 1;
  private readonly delim: number;
  /** Pieces of an incomplete record longer than HOLD_CHARS, with the scan of it so far. */
  private held: string[] | null = null;
  private heldChars = 0;
  private scan = new RecordScan(0);
  /** Set while skipping a record over MAX_RECORD_CHARS: where it started and its first characters. */
  private skipping: { line: number; raw: string } | null = null;
  /** A skipped record ended in a CR at the end of a chunk: an LF starting the next one belongs to it. */
  private dropLf = false;

  constructor(
    private readonly delimiter: string,
    private readonly sink: CsvSink,
  ) {
    this.delim = delimiter.charCodeAt(0);
    this.scan = new RecordScan(this.delim);
  }

  push(text: string): void {
    this.total += text.length;
    let t = text;
    if (this.dropLf) {
      this.dropLf = false;
      if (t.charCodeAt(0) === LF) t = t.slice(1);
    }
    if (this.skipping !== null) {
      const rest = this.skipOn(t, false);
      if (rest === null) return;
      t = rest;
    }
    if (this.held !== null) {
      let complete = this.scan.pendingCr;
      if (!complete) {
        const at = this.scan.feed(t);
        // A CR last in the piece may still be half of a CRLF: wait for one more character.
        if (at !== -1 && t.charCodeAt(at) === CR && at + 1 >= t.length) this.scan.pendingCr = true;
        else complete = at !== -1;
      }
      if (!complete) {
        this.held.push(t);
        this.heldChars += t.length;
        if (this.heldChars > MAX_RECORD_CHARS) this.startSkip();
        return;
      }
      // One flat string (join + concatenation would make a rope that indexOf flattens: a third copy).
      this.held.push(t);
      const buf = this.held.join('');
      this.held = null;
      this.run(buf, false);
      return;
    }
    this.run(this.carry === '' ? t : this.carry + t, false);
  }

  end(): void {
    if (this.skipping !== null) {
      this.skipOn('', true);
      return;
    }
    if (this.held !== null) {
      const buf = this.held.join('');
      this.held = null;
      this.run(buf, true);
    } else this.run(this.carry, true);
    this.carry = '';
  }

  private run(buf: string, final: boolean): void {
    this.base = this.total - buf.length;
    this.bufId++;
    const n = buf.length;
    let pos = 0;
    let nextQuote = buf.indexOf('"');
    let nextLf = buf.indexOf('\n');
    let nextCr = buf.indexOf('\r');
    while (pos < n) {
      // -1 means "none in the rest of buf", so each is searched again only once it has been passed.
      if (nextLf !== -1 && nextLf < pos) nextLf = buf.indexOf('\n', pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = buf.indexOf('\r', pos);
      // The physical line ends at the first CR or LF; CRLF counts once.
      let eol: number;
      let next: number;
      if (nextCr !== -1 && (nextLf === -1 || nextCr < nextLf)) {
        eol = nextCr;
        if (nextCr + 1 < n) next = buf.charCodeAt(nextCr + 1) === LF ? nextCr + 2 : nextCr + 1;
        else if (final) next = n;
        else break;
      } else if (nextLf !== -1) {
        eol = nextLf;
        next = nextLf + 1;
      } else if (final) {
        eol = n;
        next = n;
      } else break;
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = buf.indexOf('"', pos);
      // A line without quotes is one split (an empty line is no record); one whose quoted fields
      // close on it is rejoined from the split; anything else goes through the full parser below.
      if (nextQuote === -1 || nextQuote >= eol) {
        if (eol > pos) this.sink.record(buf.slice(pos, eol).split(this.delimiter), this.line, buf, pos, eol);
        this.line++;
        pos = next;
        continue;
      }
      const one = quotedOnOneLine(buf.slice(pos, eol).split(this.delimiter), this.delimiter);
      if (one !== null) {
        this.sink.record(one, this.line, buf, pos, eol);
        this.line++;
        pos = next;
        continue;
      }
      const r = parseQuoted(buf, pos, final, this.delim);
      if (r === 'more') break;
      if (r === 'unterminated') {
        this.skipLine(buf, pos, eol, 'unterminated quote: a quoted field is never closed');
        pos = next;
        continue;
      }
      if (r.lines > 0 && this.expectedFields > 0 && r.fields.length !== this.expectedFields) {
        // A stray quote swallowed the following lines; give them back and blame only this line.
        this.skipLine(
          buf,
          pos,
          eol,
          'unterminated or misplaced quote: the quoted field runs into the next line',
        );
        pos = next;
        continue;
      }
      this.sink.record(r.fields, this.line, buf, pos, r.end);
      this.line += r.lines + 1;
      pos = r.next;
    }
    this.carry = pos < n ? buf.slice(pos) : '';
    if (!final && this.carry.length > HOLD_CHARS) {
      this.held = [this.carry];
      this.heldChars = this.carry.length;
      this.carry = '';
      this.scan = new RecordScan(this.delim);
      const at = this.scan.feed(this.held[0]);
      // run() stopped because the record is incomplete: at most a CR at the very end is found.
      if (at !== -1) this.scan.pendingCr = true;
      if (this.heldChars > MAX_RECORD_CHARS) this.startSkip();
    }
  }

  /** The held record passed MAX_RECORD_CHARS: keep its start for the report, drop the rest. */
  private startSkip(): void {
    const first = this.held?.[0] ?? '';
    this.skipping = { line: this.line, raw: first.slice(0, RAW_PREFIX_CHARS) };
    this.held = null;
    this.heldChars = 0;
    if (this.scan.pendingCr) {
      this.scan.pendingCr = false;
      this.finishSkip(false);
      this.dropLf = true;
    }
  }

  /**
   * Skipping an over-long record: looks for its end in `t`. Returns the text after the record (to
   * parse normally) or null when the record goes on.
   */
  private skipOn(t: string, final: boolean): string | null {
    if (final) {
      this.finishSkip(this.scan.inQuotes());
      return null;
    }
    const at = this.scan.feed(t);
    if (at === -1) return null;
    this.finishSkip(false);
    if (t.charCodeAt(at) === CR) {
      if (at + 1 >= t.length) {
        this.dropLf = true;
        return '';
      }
      return t.slice(t.charCodeAt(at + 1) === LF ? at + 2 : at + 1);
    }
    return t.slice(at + 1);
  }

  private finishSkip(unterminated: boolean): void {
    const s = this.skipping;
    if (s === null) return;
    const lines = this.scan.lines + 1;
    const mib = Math.floor(MAX_RECORD_CHARS / (1024 * 1024));
    const reason = unterminated
      ? `unterminated quote: a quoted field opened on this line is never closed; the ${lines} lines from here to the end of the file are inside it and were not imported`
      : `record longer than ${mib} MiB (lines ${s.line}-${s.line + lines - 1}): not imported; parsing resumed after it`;
    this.sink.bad(s.line, reason, s.raw);
    this.line = s.line + lines;
    this.skipping = null;
    this.scan = new RecordScan(this.delim);
  }

  private skipLine(buf: string, pos: number, eol: number, reason: string): void {
    this.sink.bad(this.line, reason, buf.slice(pos, Math.min(eol, pos + RAW_PREFIX_CHARS)));
    this.line++;
  }
}
