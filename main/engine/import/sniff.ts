/**
 * Looks at the first bytes of a file to decide whether it is a text export at all, which encoding
 * and which delimiter it uses, and what its header says. Both guesses can be overridden.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import iconv from 'iconv-lite';
import type { Delimiter, EncodingName } from '../../../common/contract';
import { EngineError } from '../errors';
import { CsvParser } from './csv';
import { knownHeaderCount } from './headers';

export const SAMPLE_BYTES = 64 * 1024;
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

export interface Sniffed {
  readonly encoding: EncodingName;
  readonly delimiter: Delimiter;
  readonly headers: readonly string[];
  /** Lines before the header: 1 when Excel wrote a `sep=;` line first, else 0. */
  readonly skipLines: number;
}

const EXCEL_SEP = /^sep=([,;\t|])\r?\n/i;

export function readSample(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const n = readSync(fd, buf, 0, SAMPLE_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function fail(message: string): never {
  throw new EngineError('IMPORT_FAILED', message);
}

/** Binary files (images, zip, xlsx) have NUL bytes or many control characters early on. */
function looksBinary(sample: Buffer): boolean {
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control > sample.length / 100;
}

export function detectEncoding(sample: Buffer): EncodingName {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  try {
    // stream: true so a character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

export function decodeSample(sample: Buffer, encoding: EncodingName): string {
  return encoding === 'utf-8'
    ? new TextDecoder('utf-8').decode(sample, { stream: true })
    : iconv.decode(sample, 'win1252');
}

/** The first record of `text` split with `delimiter` (quotes honoured). */
export function firstRecord(text: string, delimiter: Delimiter): string[] {
  let first: string[] = [];
  const parser = new CsvParser(delimiter, {
    record: (fields) => {
      if (first.length === 0) first = fields;
    },
    bad: () => undefined,
  });
  const nl = text.indexOf('\n');
  parser.push(nl === -1 ? text : text.slice(0, nl + 1));
  parser.end();
  return first;
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
