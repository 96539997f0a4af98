/**
 * Bytes of the export to text, one chunk at a time. Most exports are plain ASCII: such a chunk is
 * read as Latin-1, which V8 copies straight into a one-byte string, instead of going through the
 * UTF-8 decoder and a UTF-16 intermediate (1M rows: ~0.3 s of the parse worker's time).
 */
import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import type { EncodingName } from '../../../common/contract';

export class ChunkDecoder {
  private readonly utf8: TextDecoder | null;
  /** The UTF-8 decoder may hold the first bytes of a character split across chunks. */
  private pending = false;
  private first = true;

  constructor(encoding: EncodingName, strict: boolean) {
    // The BOM is removed here, at the start of the file only: a decoder that first sees a later
    // chunk (the earlier ones were ASCII) would otherwise take a U+FEFF there for a BOM and drop it.
    this.utf8 = encoding === 'utf-8' ? new TextDecoder('utf-8', { fatal: strict, ignoreBOM: true }) : null;
  }

  /**
   * Decodes the next chunk; `final` for the empty read at the end of the file. Throws (a TypeError
   * from TextDecoder) on invalid UTF-8 when strict.
   */
  decode(bytes: Buffer, final: boolean): string {
    const first = this.first;
    this.first = false;
    if (!this.pending && isAscii(bytes)) return bytes.toString('latin1');
    if (this.utf8 === null) return iconv.decode(bytes, 'win1252');
    let text = this.utf8.decode(bytes, { stream: !final });
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // A chunk ending in a non-ASCII byte may end inside a character: the decoder then holds it,
    // so the next chunk must go through the decoder too, even if it is ASCII.
    this.pending = !final && bytes.length > 0 && (bytes[bytes.length - 1] ?? 0) >= 0x80;
    return text;
  }
}
