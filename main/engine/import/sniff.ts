/**
 * Looks at the first bytes of a file to decide whether it is a text export at all, which encoding
 * and which delimiter it uses, and what its header says. Both guesses can be overridden.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import iconv from 'iconv-lite';
import type { Delimiter, EncodingName } from '../../../common/contract';
import { EngineError } from '../errors';
import { CsvParser } from './csv';
import { RecordScan } from './csv-scan';
import { knownHeaderCount } from './headers';
import { utf8Evidence } from './utf8';

export const SAMPLE_BYTES = 64 * 1024;
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

export interface Sniffed {
  readonly encoding: EncodingName;
  readonly delimiter: Delimiter;
  readonly headers: readonly string[];
  /** Lines before the header: 1 when Excel wrote a `sep=;` line first, else 0. */
  readonly skipLines: number;
}

const EXCEL_SEP = /^sep=([,;\t|])(?:\r\n|\n|\r)/i;

/** A header longer than this is not a delivery export's (the file is rejected as such). */
export const MAX_HEADER_BYTES = 64 * 1024 * 1024;
const DELIMITER_CODES = DELIMITERS.map((d) => d.charCodeAt(0));

/**
 * The first bytes of the file: at least SAMPLE_BYTES, and more until the header record is complete
 * (a header with many extra columns can be longer than the sample).
 */
export function readSample(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    let buf = Buffer.alloc(SAMPLE_BYTES);
    let n = readSync(fd, buf, 0, buf.length, 0);
    while (n === buf.length && buf.length < MAX_HEADER_BYTES && headerEnd(buf.toString('latin1')) === -1) {
      const bigger = Buffer.alloc(buf.length * 2);
      buf.copy(bigger, 0, 0, n);
      buf = bigger;
      n += readSync(fd, buf, n, buf.length - n, n);
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Where the header starts: after Excel's `sep=` line and any blank lines. */
function headerStart(text: string): number {
  const sep = EXCEL_SEP.exec(text);
  let pos = sep ? sep[0].length : 0;
  while (pos < text.length && (text.charCodeAt(pos) === 10 || text.charCodeAt(pos) === 13)) pos++;
  return pos;
}

/**
 * End of the header record in `text` (its line break), or -1 when the text stops inside it. Quotes,
 * delimiters and line breaks are ASCII, so any ASCII-compatible decoding of the bytes will do; the
 * delimiter is not known yet, so the header must be complete under each candidate.
 */
function headerEnd(text: string): number {
  const start = headerStart(text);
  if (start >= text.length) return -1;
  const rest = text.slice(start);
  let end = 0;
  for (const d of DELIMITER_CODES) {
    const at = new RecordScan(d).feed(rest);
    if (at === -1) return -1;
    end = Math.max(end, at);
  }
  return start + end;
}

function fail(message: string): never {
  throw new EngineError('IMPORT_FAILED', message);
}

/** Signatures of files people pick by mistake: zip/xlsx, PDF, images, OLE (.xls, .msg), gzip, SQLite. */
const MAGIC: readonly (readonly number[])[] = [
  [0x50, 0x4b, 0x03, 0x04],
  [0x25, 0x50, 0x44, 0x46],
  [0x89, 0x50, 0x4e, 0x47],
  [0x47, 0x49, 0x46, 0x38],
  [0xff, 0xd8, 0xff],
  [0xd0, 0xcf, 0x11, 0xe0],
  [0x1f, 0x8b],
  [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66],
];

/**
 * Binary files start with a known signature or are full of control bytes. A few NULs or control
 * characters inside text fields do not make a file binary: those records import like any other.
 */
function looksBinary(sample: Buffer): boolean {
  if (MAGIC.some((m) => m.every((b, i) => sample[i] === b))) return true;
  let control = 0;
  for (const b of sample) if (b < 9 || (b > 13 && b < 32)) control++;
  return control > sample.length / 100;
}

/**
 * UTF-8 unless the sample's high bytes are not shaped like UTF-8 at all (then Windows-1252). A
 * UTF-8 file with a stray byte stays UTF-8: only the record holding that byte is rejected.
 */
export function detectEncoding(sample: Buffer): EncodingName {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  const ev = utf8Evidence(sample);
  return ev.shaped === 0 && ev.stray > 0 ? 'windows-1252' : 'utf-8';
}

export function decodeSample(sample: Buffer, encoding: EncodingName): string {
  return encoding === 'utf-8'
    ? new TextDecoder('utf-8').decode(sample, { stream: true })
    : iconv.decode(sample, 'win1252');
}

/** The first record of `text` (the header) split with `delimiter` (quotes honoured). */
export function firstRecord(text: string, delimiter: Delimiter): string[] {
  let first: string[] | null = null;
  const parser = new CsvParser(delimiter, {
    record: (fields) => {
      first ??= fields;
    },
    bad: () => undefined,
  });
  const start = headerStart(text);
  const end = headerEnd(text);
  parser.push(text.slice(start, end === -1 ? text.length : end));
  parser.end();
  return first ?? [];
}

/** Picks the delimiter under which the header names the most known columns (then: the most fields). */
export function detectDelimiter(text: string): Delimiter {
  let best: Delimiter = ',';
  let bestKnown = -1;
  let bestFields = 0;
  for (const d of DELIMITERS) {
    const fields = firstRecord(text, d);
    const known = knownHeaderCount(fields);
    if (known > bestKnown || (known === bestKnown && fields.length > bestFields)) {
      best = d;
      bestKnown = known;
      bestFields = fields.length;
    }
  }
  return best;
}

export function sniff(
  sample: Buffer,
  fileSize: number,
  override: { delimiter?: Delimiter; encoding?: EncodingName },
): Sniffed {
  if (fileSize === 0 || sample.length === 0) fail('The file is empty.');
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    fail(
      'The file is UTF-16 text. Save it from Excel as "CSV UTF-8" or "CSV (comma delimited)" and import again.',
    );
  }
  if (looksBinary(sample))
    fail('This is not a CSV text file (it contains binary data). Pick the delivery export CSV.');
  const encoding = override.encoding ?? detectEncoding(sample);
  const text = decodeSample(sample, encoding).replace(/^\uFEFF/, '');
  if (text.trim() === '') fail('The file is empty.');
  const sep = EXCEL_SEP.exec(text);
  const body = sep ? text.slice(sep[0].length) : text;
  const delimiter = override.delimiter ?? (sep ? (sep[1] as Delimiter) : detectDelimiter(body));
  const headers = firstRecord(body, delimiter);
  return { encoding, delimiter, headers, skipLines: sep ? 1 : 0 };
}
