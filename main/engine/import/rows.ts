/**
 * Turns parsed fields into the values stored for one record (typed, with codes parsed out of the
 * SMTP text and a dedupe key), or into a rejected row with its line and reason. Runs in the parse
 * worker; rows leave it as one flat string per batch (TEXT_COLUMNS joined by FIELD_SEP) and one
 * Float64Array of their numbers (NUM_COLUMNS).
 */
import { COLUMN_IDS, type ColumnId } from '../../../common/columns';
import type { RejectedRow } from '../../../common/contract';
import { bigKey, keyOf, nulSafeKeyText } from './dedupe-key';
import { EnumTally } from './enums';
import type { SpecialRow } from './feed-protocol';
import { parseSmtpCodes } from './smtp-codes';
import { parseTimestamp } from './timestamps';

/**
 * Numeric values travel as numbers: better-sqlite3 binds a number for a fraction of the cost of a
 * string (no UTF-8 copy), and SQLite need not convert text to INTEGER. NaN stands for NULL.
 */
export const NUM_COLUMNS = [
  'line',
  'creation_time_ms',
  'meta_data_creation_time_ms',
  'smtp_code',
  'message_size',
  'version',
] as const;
export const NUM_WIDTH = NUM_COLUMNS.length;

const NUMERIC = new Set<string>(NUM_COLUMNS);
/** Positions (in COLUMN_IDS) of the source columns sent as text. */
const TEXT_SOURCE = COLUMN_IDS.map((_, i) => i).filter((i) => !NUMERIC.has(COLUMN_IDS[i]));

/** Text values per record, in this order; '' stands for NULL. */
export const TEXT_COLUMNS: readonly string[] = [
  'row_key',
  ...TEXT_SOURCE.map((i) => COLUMN_IDS[i]),
  'smtp_enhanced',
  'extra',
  'raw_values',
];
export const TEXT_WIDTH = TEXT_COLUMNS.length;

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
  /** One FIELD_SEP-joined string of TEXT_COLUMNS per accepted row. */
  values: string[] = [];
  /** NUM_WIDTH numbers per accepted row. */
  nums: number[] = [];
  rows = 0;
  rejected: RejectedRow[] = [];
  zoneless = false;
  /** Rows holding FIELD_SEP in their text: sent beside the batch string (see SpecialRow). */
  specials: SpecialRow[] = [];
  private readonly slot: Int32Array;
  private readonly unknownAt: number[] = [];
  private readonly headerOf: string[] = [];
  private readonly scratch: string[] = new Array<string>(COLUMN_IDS.length).fill('');
  private readonly canonical: boolean;
  private readonly textRow: string[] = new Array<string>(TEXT_WIDTH).fill('');
  /** Folds the enum columns to their canonical spelling and counts values outside the documented set. */
  readonly enums = new EnumTally(
    TEXT_SOURCE.map((i) => COLUMN_IDS[i]),
    1,
  );

  constructor(
    private readonly columns: readonly (ColumnId | null)[],
    private readonly headers: readonly string[],
  ) {
    this.slot = new Int32Array(columns.length).fill(-1);
    columns.forEach((c, i) => {
      if (c === null) this.unknownAt.push(i);
      else this.slot[i] = POS[c]!;
    });
    // The portal's own layout: the fields array can serve as the record as it is (no copy per row).
    this.canonical = columns.length === COLUMN_IDS.length && columns.every((c, i) => c === COLUMN_IDS[i]);
    for (const id of COLUMN_IDS) this.headerOf.push(id);
    columns.forEach((c, i) => {
      if (c !== null) this.headerOf[POS[c]] = headers[i] ?? c;
    });
  }

  take(): {
    values: string[];
    nums: Float64Array<ArrayBuffer>;
    rows: number;
    rejected: RejectedRow[];
    specials: SpecialRow[];
  } {
    const out = {
      values: this.values,
      nums: Float64Array.from(this.nums),
      rows: this.rows,
      rejected: this.rejected,
      specials: this.specials,
    };
    this.specials = [];
    this.values = [];
    this.nums = [];
    this.rows = 0;
    this.rejected = [];
    return out;
  }

  bad(line: number, column: string | null, reason: string, raw: string): void {
    this.rejected.push({ line, column, reason, raw: capRaw(raw) });
  }

  /** Whole numbers as the file wrote them where that is not their plain decimal form (set by checkInt). */
  private intRaw: Record<string, string> | null = null;

  private resetIntRaw(): void {
    this.intRaw = null;
  }

  private checkInt(v: string[], i: number, line: number, buf: string, start: number, end: number): boolean {
    const s = v[i];
    if (s === '' || (isDigits(s) && (s.length === 1 || s.charCodeAt(0) !== 48))) return true;
    if (!INT.test(s)) {
      this.bad(line, this.headerOf[i], `not a whole number: "${clip(s)}"`, buf.slice(start, end));
      return false;
    }
    // " 12 " or "007" is stored as the number 12 / 7; the text goes to raw_values so that a re-export
    // writes it as the file had it.
    (this.intRaw ??= {})[COLUMN_IDS[i]] = s;
    v[i] = s.trim();
    return true;
  }

  /**
   * `hasSep` / `hasNul`: the record's text holds FIELD_SEP / NUL (the worker looks once per buffer, so
   * the common record pays nothing for these rare characters).
   */
  add(
    fields: string[],
    line: number,
    buf: string,
    start: number,
    end: number,
    hasSep = false,
    hasNul = false,
  ): void {
    const expected = this.columns.length;
    if (fields.length !== expected) {
      const kind = fields.length > expected ? 'too many' : 'too few';
      this.bad(line, null, `${kind} fields: ${fields.length} instead of ${expected}`, buf.slice(start, end));
      return;
    }
    let v = fields;
    if (!this.canonical) {
      v = this.scratch;
      v.fill('');
      for (let i = 0; i < expected; i++) {
        const s = this.slot[i];
        if (s >= 0) v[s] = fields[i]!;
      }
    }
    const timeText = v[I_TIME];
    const time = parseTimestamp(timeText);
    if (time === null) {
      const what = timeText === '' ? 'empty Creation Time' : `unparsable timestamp "${clip(timeText)}"`;
      this.bad(line, this.headerOf[I_TIME], what, buf.slice(start, end));
      return;
    }
    let metaMs = '';
    let metaNum = NaN;
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
      metaNum = meta.ms;
      metaMs = String(meta.ms);
    }
    if (!time.zoned) this.zoneless = true;
    this.resetIntRaw();
    if (
      !this.checkInt(v, I_SIZE, line, buf, start, end) ||
      !this.checkInt(v, I_VERSION, line, buf, start, end)
    )
      return;
    // The key uses parsed times, so the same record exported in another time format still matches.
    v[I_TIME] = String(time.ms);
    v[I_META_TIME] = metaMs;
    const big = end - start > BIG_RECORD_CHARS;
    const key = hasNul ? keyOf(nulSafeKeyText(v)) : big ? bigKey(v) : keyOf(v.join('\u0000'));
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
    // One string per row (TEXT_COLUMNS order); the batch joins them with the same separator.
    const out = this.textRow;
    out[0] = key;
    for (let j = 0; j < TEXT_SOURCE.length; j++) out[j + 1] = v[TEXT_SOURCE[j]];
    out[TEXT_WIDTH - 3] = codes.enhanced ?? '';
    out[TEXT_WIDTH - 2] = extra;
    // After the key, which stays computed from the file's own text (older workspaces dedupe on it).
    const folded = this.enums.fold(out);
    out[TEXT_WIDTH - 1] =
      this.intRaw === null
        ? folded
        : JSON.stringify({
            ...(folded === '' ? {} : (JSON.parse(folded) as Record<string, string>)),
            ...this.intRaw,
          });
    if (hasSep || big) {
      // Its values would split wrongly in the batch string (or, for a huge record, cost two more
      // copies of it in the batch strings): placeholders there, the values beside it.
      this.specials.push({ row: this.rows, values: out.slice() });
      this.values.push(PLACEHOLDER_ROW);
    } else this.values.push(out.join(FIELD_SEP));
    const size = v[I_SIZE];
    const version = v[I_VERSION];
    this.nums.push(
      line,
      time.ms,
      metaNum,
      codes.basic ?? NaN,
      size === '' ? NaN : Number(size),
      version === '' ? NaN : Number(version),
    );
    this.rows++;
  }
}

/** Records longer than this skip the joined strings (key text, batch string): see add(). */
const BIG_RECORD_CHARS = 1 << 20;

const PLACEHOLDER_ROW = new Array<string>(TEXT_WIDTH).fill('').join(FIELD_SEP);

/** The common case of checkInt without a regex: 1 to 15 ASCII digits. */
function isDigits(s: string): boolean {
  if (s.length > 15) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
