/**
 * Bytes of the export to text, one chunk at a time. Most exports are plain ASCII: such a chunk is
 * read as Latin-1, which V8 copies straight into a one-byte string, instead of going through the
 * UTF-8 decoder and a UTF-16 intermediate (1M rows: ~0.3 s of the parse worker's time).
 *
 * Invalid UTF-8 never changes what the rest of the file means: each invalid byte becomes U+FFFD in
 * the text and is listed in `invalid`, so the parse worker rejects the one record holding it (with its
 * line and byte offset) and every other record keeps its exact text. With the encoding detected
 * (`auto`), a file whose high bytes are not shaped like UTF-8 at all is Windows-1252: the switch needs
 * no second pass while everything before was ASCII (the same text in both), and if UTF-8 shows up after
 * such a switch, `contradiction` asks the importer to read the file again as UTF-8.
 */
import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import type { EncodingName } from '../../../common/contract';
import { completeUpTo, invalidUtf8, utf8Evidence } from './utf8';

export interface InvalidByte {
  /** Offset of its U+FFFD in the text that decode() returned. */
  readonly char: number;
  /** Offset in the file. */
  readonly byte: number;
  readonly value: number;
}

/** Windows-1252 high bytes seen after which the file is taken to be Windows-1252 for good. */
const SETTLED_STRAY = 64;

export class ChunkDecoder {
  /** Invalid bytes of the last chunk decoded. */
  invalid: InvalidByte[] = [];
  /** Set when a detected Windows-1252 file turns out to hold UTF-8: the importer reads it again as UTF-8. */
  contradiction = false;
  /** File offset of the first byte read as Windows-1252 after a switch from UTF-8. */
  switchedAt: number | null = null;
  private readonly fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  private pending: Buffer | null = null;
  private offset = 0;
  private first = true;
  private shapedSeen = false;
  private straySeen = 0;

  constructor(
    public encoding: EncodingName,
    private readonly auto: boolean,
  ) {}

  /** Decodes the next chunk; `final` for the empty read at the end of the file. */
  decode(bytes: Buffer, final: boolean): string {
    this.invalid = [];
    let start = this.offset - (this.pending?.length ?? 0);
    this.offset += bytes.length;
    let data: Buffer = this.pending === null ? bytes : Buffer.concat([this.pending, bytes]);
    this.pending = null;
    if (this.first && data.length > 0) {
      this.first = false;
      // The BOM is removed at the start of the file only: U+FEFF later in the file is text.
      if (this.encoding === 'utf-8' && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
        data = data.subarray(3);
        start += 3;
      }
    }
    if (isAscii(data)) return data.toString('latin1');
    if (this.encoding === 'windows-1252') {
      if (this.auto) this.checkStillWindows1252(data);
      return iconv.decode(data, 'win1252');
    }
    const cut = final ? data.length : completeUpTo(data);
    if (cut < data.length) {
      // The chunk buffer is reused by the reader: keep a copy of the cut character's first bytes.
      this.pending = Buffer.from(data.subarray(cut));
      data = data.subarray(0, cut);
      if (isAscii(data)) return data.toString('latin1');
    }
    try {
      const text = this.fatal.decode(data);
      this.shapedSeen = true;
      return text;
    } catch {
      return this.decodeInvalid(data, start);
    }
  }

  private checkStillWindows1252(data: Buffer): void {
    if (this.straySeen >= SETTLED_STRAY) return;
    const ev = utf8Evidence(data);
    if (ev.shaped > 0) this.contradiction = true;
    this.straySeen += ev.stray;
  }

  private decodeInvalid(data: Buffer, start: number): string {
    if (this.auto && !this.shapedSeen) {
      const ev = utf8Evidence(data);
      if (ev.shaped === 0) {
        // Nothing before was anything but ASCII, and these high bytes are not UTF-8: Windows-1252.
        this.encoding = 'windows-1252';
        this.switchedAt = start + invalidUtf8(data)[0];
        this.straySeen = ev.stray;
        return iconv.decode(data, 'win1252');
      }
    }
    this.shapedSeen = true;
    const bad = invalidUtf8(data);
    let text = '';
    let from = 0;
    for (const at of bad) {
      if (at > from) text += this.lenient.decode(data.subarray(from, at));
      this.invalid.push({ char: text.length, byte: start + at, value: data[at] });
      text += '\uFFFD';
      from = at + 1;
    }
    if (from < data.length) text += this.lenient.decode(data.subarray(from));
    return text;
  }
}
