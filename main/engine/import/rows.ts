/**
 * Turns parsed fields into the values stored for one record (typed, with codes parsed out of the
 * SMTP text and a dedupe key), or into a rejected row with its line and reason. Runs in the parse
 * worker; rows leave it as one flat string per batch (see ROW_COLUMNS and FIELD_SEP).
 */
import { hash } from 'node:crypto';
import { COLUMN_IDS, type ColumnId } from '../../../common/columns';
import type { RejectedRow } from '../../../common/contract';
import { parseSmtpCodes } from './smtp-codes';
import { parseTimestamp } from './timestamps';

/** Stored per record, in this order after `import_id` (bound once per statement). */
export const ROW_COLUMNS = [
  'line',
  'row_key',
  ...COLUMN_IDS,
  'creation_time_ms',
  'meta_data_creation_time_ms',
  'smtp_code',
  'smtp_enhanced',
  'extra',
] as const;
export const ROW_WIDTH = ROW_COLUMNS.length;

/**
 * Separates values in a batch string. Cheaper to send and split than structured-cloning arrays;
 * a record whose text contains it is rejected rather than silently corrupted.
 */
export const FIELD_SEP = '\u001f';
const RAW_CAP_BYTES = 4096;

export function capRaw(raw: string): string {
  let s = raw.length > RAW_CAP_BYTES ? raw.slice(0, RAW_CAP_BYTES) : raw;
  while (Buffer.byteLength(s) > RAW_CAP_BYTES) s = s.slice(0, Math.floor(s.length * 0.9));
  return s;
}

const INT = /^\s*\d{1,15}\s*$/;
const POS: Record<string, number> = Object.fromEntries(COLUMN_IDS.map((id, i) => [id, i]));
const I_TIME = POS.creation_time;
const I_META_TIME = POS.meta_data_creation_time;
const I_SIZE = POS.message_size;
const I_VERSION = POS.version;
const I_SMTP = POS.smtp_status_code;

export class RowBuilder {
  /** One FIELD_SEP-joined string per accepted row. */
  values: string[] = [];
  rows = 0;
  rejected: RejectedRow[] = [];
  zoneless = false;
  /** Set by the worker when the current chunk contains FIELD_SEP (rare; checked per record then). */
  sepInChunk = false;
  private readonly slot: Int32Array;
  private readonly unknownAt: number[] = [];
  private readonly headerOf: string[] = [];
  private readonly scratch: string[] = new Array<string>(COLUMN_IDS.length).fill('');

  constructor(
    private readonly columns: readonly (ColumnId | null)[],
    private readonly headers: readonly string[],
  ) {
    this.slot = new Int32Array(columns.length).fill(-1);
    columns.forEach((c, i) => {
      if (c === null) this.unknownAt.push(i);
      else this.slot[i] = POS[c]!;
    });
    for (const id of COLUMN_IDS) this.headerOf.push(id);
    columns.forEach((c, i) => {
      if (c !== null) this.headerOf[POS[c]] = headers[i] ?? c;
    });
  }

  take(): { values: string[]; rows: number; rejected: RejectedRow[] } {
    const out = { values: this.values, rows: this.rows, rejected: this.rejected };
    this.values = [];
    this.rows = 0;
    this.rejected = [];
    return out;
  }

  bad(line: number, column: string | null, reason: string, raw: string): void {
    this.rejected.push({ line, column, reason, raw: capRaw(raw) });
  }

  private checkInt(v: string[], i: number, line: number, buf: string, start: number, end: number): boolean {
    const s = v[i];
    if (s === '') return true;
    if (!INT.test(s)) {
      this.bad(line, this.headerOf[i], `not a whole number: "${clip(s)}"`, buf.slice(start, end));
      return false;
    }
    v[i] = s.trim();
    return true;
  }

  add(fields: string[], line: number, buf: string, start: number, end: number): void {
    const expected = this.columns.length;
    if (fields.length !== expected) {
      const kind = fields.length > expected ? 'too many' : 'too few';
      this.bad(line, null, `${kind} fields: ${fields.length} instead of ${expected}`, buf.slice(start, end));
      return;
    }
    if (this.sepInChunk && buf.slice(start, end).includes(FIELD_SEP)) {
      this.bad(line, null, 'contains the control character U+001F', buf.slice(start, end));
      return;
    }
    const v = this.scratch;
    v.fill('');
    for (let i = 0; i < expected; i++) {
      const s = this.slot[i];
      if (s >= 0) v[s] = fields[i]!;
    }
    const timeText = v[I_TIME];
    const time = parseTimestamp(timeText);
    if (time === null) {
      const what = timeText === '' ? 'empty Creation Time' : `unparsable timestamp "${clip(timeText)}"`;
      this.bad(line, this.headerOf[I_TIME], what, buf.slice(start, end));
      return;
    }
    let metaMs = '';
    const metaText = v[I_META_TIME];
    if (metaText !== '') {
      const meta = parseTimestamp(metaText);
      if (meta === null) {
        this.bad(
          line,
          this.headerOf[I_META_TIME],
          `unparsable timestamp "${clip(metaText)}"`,
          buf.slice(start, end),
        );
        return;
      }
      if (!meta.zoned) this.zoneless = true;
      metaMs = String(meta.ms);
    }
    if (!time.zoned) this.zoneless = true;
    if (
      !this.checkInt(v, I_SIZE, line, buf, start, end) ||
      !this.checkInt(v, I_VERSION, line, buf, start, end)
    )
      return;
    const timeMs = String(time.ms);
    // The key uses parsed times, so the same record exported in another time format still matches.
    v[I_TIME] = timeMs;
    v[I_META_TIME] = metaMs;
    const key = hash('sha1', v.join('\u0000'), 'base64').slice(0, 16);
    v[I_TIME] = timeText;
    v[I_META_TIME] = metaText;
    let extra = '';
    if (this.unknownAt.length > 0) {
      const obj: Record<string, string> = {};
      let any = false;
      for (const i of this.unknownAt) {
        const s = fields[i];
        if (s !== '') any = true;
        obj[this.headers[i] ?? `column ${i + 1}`] = s;
      }
      if (any) extra = JSON.stringify(obj);
    }
    const codes = parseSmtpCodes(v[I_SMTP]);
    // One string per row (ROW_COLUMNS order); the batch joins them with the same separator.
    this.values.push(
      `${line}${FIELD_SEP}${key}${FIELD_SEP}${v.join(FIELD_SEP)}${FIELD_SEP}${timeMs}${FIELD_SEP}${metaMs}${FIELD_SEP}${
        codes.basic === null ? '' : codes.basic
      }${FIELD_SEP}${codes.enhanced ?? ''}${FIELD_SEP}${extra}`,
    );
    this.rows++;
  }
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
