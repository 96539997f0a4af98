/**
 * Enum values on import: each of the five enum columns is stored in its canonical spelling (see
 * common/enum-values.ts), the file's own text goes to `raw_values` where it differs (so a re-export
 * writes it unchanged), and values outside the documented set are counted per column for the
 * import summary. Runs in the parse worker, once per accepted row.
 */
import type { ColumnId } from '../../../common/columns';
import type { UnknownEnumValues } from '../../../common/contract';
import { ENUM_COLUMNS, foldEnum, type EnumColumn } from '../../../common/enum-values';

/** Distinct unknown values listed per column; all of them are counted. */
export const MAX_LISTED_VALUES = 20;

interface Tally {
  rows: number;
  readonly values: string[];
}

export class EnumTally {
  private readonly slots: readonly { readonly col: EnumColumn; readonly at: number }[];
  private readonly unknown = new Map<ColumnId, Tally>();

  /** `order`: the column ids of a row's values, starting at index `offset` of the row. */
  constructor(order: readonly string[], offset: number) {
    this.slots = ENUM_COLUMNS.map((col) => ({ col, at: order.indexOf(col.id) + offset }));
  }

  /**
   * Folds the enum values of one row in place; returns the JSON object of the original texts that
   * changed ({column: text}), or '' when none did (nearly always: a documented value is one Set lookup).
   */
  fold(row: string[]): string {
    let raw: Record<string, string> | null = null;
    for (const { col, at } of this.slots) {
      const s = row[at];
      if (s === '' || col.values.has(s)) continue;
      const c = foldEnum(col, s);
      if (c !== '' && !col.values.has(c)) this.count(col.id, c);
      if (c !== s) {
        (raw ??= {})[col.id] = s;
        row[at] = c;
      }
    }
    return raw === null ? '' : JSON.stringify(raw);
  }

  private count(id: ColumnId, value: string): void {
    let t = this.unknown.get(id);
    if (t === undefined) {
      t = { rows: 0, values: [] };
      this.unknown.set(id, t);
    }
    t.rows++;
    if (t.values.length < MAX_LISTED_VALUES && !t.values.includes(value)) t.values.push(value);
  }

  /** Rows per column whose value is not a documented one, with the first distinct values. */
  result(): UnknownEnumValues {
    const out: Partial<Record<ColumnId, { rows: number; values: readonly string[] }>> = {};
    for (const [id, t] of this.unknown) out[id] = { rows: t.rows, values: [...t.values] };
    return out;
  }
}
