/**
 * Reads the shared-string table's plain entries `<si><t>text</t></si>` from the inflated bytes, with
 * no text decoded: a plain entry's bytes go to the table as they are (SharedStrings.addBytes copies
 * them into its spill block) unless they hold an entity (`&`) or an OOXML escape (`_x`), which are
 * decoded as sst-scan.ts decodes them. The table's load was decode + string scan + re-encode of each
 * spilled entry (README 16d: 2.0-3.0 s CPU for the 300k-row workbook's 2.1M entries). Anything
 * else (rich text, a comment, a prefixed root) hands the rest of the part, from that entry, to the
 * text path (AlignedDecoder + SstScanner), which reads entries the same way: the strings are the same.
 */
import { AlignedDecoder } from './aligned-text';
import { decodeEntities } from './scan';
import { SstScanner } from './sst-scan';
import { unescapeOoxml } from './xml';

export interface StringSink {
  add(s: string): void;
  addBytes(src: Buffer, from: number, to: number): void;
}

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const UNDERSCORE = 0x5f;
const X = 0x78;
const SI = Buffer.from('<si>', 'latin1');
const T_PLAIN = Buffer.from('<t>', 'latin1');
const T_PRESERVE = Buffer.from('<t xml:space="preserve">', 'latin1');
const CLOSE = Buffer.from('</t></si>', 'latin1');
const SKIP = ['<?', '<sst', '</sst>'].map((t) => Buffer.from(t, 'latin1'));

/** 1 when `pat` is at `at`, 0 when something else is, -1 when `buf` ends before it could tell. */
function at(buf: Buffer, i: number, pat: Buffer): number {
  for (let k = 0; k < pat.length; k++) {
    if (i + k >= buf.length) return -1;
    if (buf[i + k] !== pat[k]) return 0;
  }
  return 1;
}

/** Index of the '>' ending the tag at `lt`, skipping quoted values (scan.ts tagEnd over bytes); -1 if not in `buf`. */
function tagEnd(buf: Buffer, lt: number): number {
  for (let i = lt + 1; i < buf.length; i++) {
    const c = buf[i];
    if (c === GT) return i;
    if (c === 0x22 || c === 0x27) {
      const close = buf.indexOf(c, i + 1);
      if (close === -1) return -1;
      i = close;
    }
  }
  return -1;
}

export class SstBytes {
  private carry: Buffer | null = null;
  private text: { decoder: AlignedDecoder; scanner: SstScanner } | null = null;

  constructor(private readonly sink: StringSink) {}

  write(chunk: Buffer): void {
    if (this.text !== null) {
      this.text.scanner.write(this.text.decoder.write(chunk));
      return;
    }
    const buf = this.carry === null ? chunk : Buffer.concat([this.carry, chunk]);
    this.carry = null;
    const n = buf.length;
    let pos = 0;
    for (;;) {
      let lt = pos;
      while (lt < n && buf[lt] !== LT) lt++;
      if (lt === n) return;
      pos = lt;
      const si = at(buf, lt, SI);
      if (si === -1) break;
      if (si === 1) {
        const next = this.entry(buf, lt);
        if (next === -1) break;
        if (next === -2) return this.handOver(buf, lt);
        pos = next;
        continue;
      }
      let skippable = false;
      let short = false;
      for (const s of SKIP) {
        const m = at(buf, lt, s);
        if (m === 1) skippable = true;
        else if (m === -1) short = true;
      }
      if (!skippable) {
        // As sst-scan.ts: a tag it does not know hands over once six bytes show it is none of these.
        if (short && lt + 6 > n) break;
        return this.handOver(buf, lt);
      }
      const close = tagEnd(buf, lt);
      if (close === -1) break;
      pos = close + 1;
    }
    this.carry = Buffer.from(buf.subarray(pos));
  }

  /**
   * A plain entry at `lt`: hands its text to the sink and returns the index after `</si>`; -1 when
   * the entry is not complete in `buf`, -2 when it is not of the plain form.
   */
  private entry(buf: Buffer, lt: number): number {
    const n = buf.length;
    let ts = lt + SI.length;
    const plain = at(buf, ts, T_PLAIN);
    if (plain === 1) ts += T_PLAIN.length;
    else {
      const preserve = at(buf, ts, T_PRESERVE);
      if (preserve === 1) ts += T_PRESERVE.length;
      else return plain === -1 || preserve === -1 ? -1 : -2;
    }
    let te = ts;
    let escaped = false;
    for (; te < n; te++) {
      const c = buf[te];
      if (c === LT) break;
      if (c === AMP || (c === UNDERSCORE && buf[te + 1] === X)) escaped = true;
    }
    const close = at(buf, te, CLOSE);
    if (close !== 1) return close === -1 || te === n ? -1 : -2;
    if (escaped) {
      const raw = buf.toString('utf8', ts, te);
      this.sink.add(unescapeOoxml(raw.includes('&') ? decodeEntities(raw) : raw));
    } else this.sink.addBytes(buf, ts, te);
    return te + CLOSE.length;
  }

  private handOver(buf: Buffer, from: number): void {
    const decoder = new AlignedDecoder('</si>');
    const scanner = new SstScanner((s) => this.sink.add(s));
    this.text = { decoder, scanner };
    scanner.write(decoder.write(buf.subarray(from)));
  }

  end(): void {
    if (this.text !== null) {
      this.text.scanner.write(this.text.decoder.end());
      this.text.scanner.end();
      return;
    }
    if (this.carry !== null && this.carry.length > 0)
      throw new Error('the XML part ends in the middle of an element');
  }
}
