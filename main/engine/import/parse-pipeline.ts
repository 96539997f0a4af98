/**
 * Bytes in, batches out: the parse worker's work on one chunk at a time (decode, parse, validate), kept
 * apart from the worker's file reading and messaging so tests can feed it any chunking.
 */
import type { ColumnId } from '../../../common/columns';
import { CsvParser } from './csv';
import { ChunkDecoder, type InvalidByte } from './decode';
import { INVALID_BYTE_REASON, type ParserInit } from './feed-protocol';
import { FIELD_SEP, RowBuilder } from './rows';

export type PipelineInit = Pick<
  ParserInit,
  'encoding' | 'auto' | 'delimiter' | 'columns' | 'headers' | 'skipLines'
>;

export class ParsePipeline {
  readonly builder: RowBuilder;
  readonly decoder: ChunkDecoder;
  private readonly parser: CsvParser;
  private headerSeen = false;
  private skip: number;
  /** Invalid bytes ahead, by their offset in all the text decoded so far (see decode.ts). */
  private readonly invalid: InvalidByte[] = [];
  private textBase = 0;
  // Rare characters are looked for once per buffer the parser hands out, not once per record.
  private bufId = -1;
  private bufHasSep = false;
  private bufHasNul = false;

  constructor(init: PipelineInit) {
    this.builder = new RowBuilder(init.columns as (ColumnId | null)[], init.headers);
    this.decoder = new ChunkDecoder(init.encoding, init.auto);
    this.skip = init.skipLines;
    this.parser = new CsvParser(init.delimiter, {
      record: (fields, line, buf, start, end) => this.record(fields, line, buf, start, end),
      bad: (line, reason, raw) => {
        this.headerSeen = true;
        this.builder.bad(line, null, reason, raw);
      },
    });
  }

  /**
   * Takes the next bytes of the file (an empty `bytes` with `final` at its end). Returns false when the
   * decoder found that a detected Windows-1252 file is UTF-8 after all: the file must be read again.
   */
  push(bytes: Buffer, final: boolean): boolean {
    const text = this.decoder.decode(bytes, final);
    if (this.decoder.contradiction) return false;
    for (const b of this.decoder.invalid) this.invalid.push({ ...b, char: this.textBase + b.char });
    this.textBase += text.length;
    if (text !== '') this.parser.push(text);
    if (final) this.parser.end();
    return true;
  }

  private record(fields: string[], line: number, buf: string, start: number, end: number): void {
    if (this.skip > 0) {
      this.skip--;
      return;
    }
    if (!this.headerSeen) {
      this.headerSeen = true;
      this.parser.expectedFields = fields.length;
      return;
    }
    const from = this.parser.base + start;
    const invalid = this.invalid;
    while (invalid.length > 0 && invalid[0].char < from) invalid.shift();
    const bad = invalid[0];
    if (bad !== undefined && bad.char < this.parser.base + end) {
      this.builder.bad(line, null, invalidByteReason(bad), buf.slice(start, end));
      return;
    }
    if (this.parser.bufId !== this.bufId) {
      this.bufId = this.parser.bufId;
      this.bufHasSep = buf.includes(FIELD_SEP);
      this.bufHasNul = buf.includes('\u0000');
    }
    const raw = this.bufHasSep || this.bufHasNul ? buf.slice(start, end) : '';
    this.builder.add(
      fields,
      line,
      buf,
      start,
      end,
      this.bufHasSep && raw.includes(FIELD_SEP),
      this.bufHasNul && raw.includes('\u0000'),
    );
  }
}

function invalidByteReason(b: InvalidByte): string {
  const hex = b.value.toString(16).toUpperCase().padStart(2, '0');
  return `${INVALID_BYTE_REASON}UTF-8: byte 0x${hex} at file offset ${b.byte}; the rest of the file is UTF-8, so only this row was left out. Fix the byte in the file, or import it with the encoding Windows-1252 if the whole file is Windows-1252`;
}
