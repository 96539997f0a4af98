/**
 * An Excel sheet's rows travel from the xlsx parse worker to the importing thread as cell text, and
 * the importing thread turns them into the batches the CSV path stores (RowBuilder: typed values,
 * dedupe key, rejects). The worker's inflate and XML scan were the import's bottleneck while the
 * importing thread inserted and then waited; RowBuilder was a quarter of the worker's CPU
 * (15f: 300k rows, worker alone 13.7-15.3 s CPU with it, 10.9-11.5 s without), so it moves to the
 * thread that had the time.
 */
import type { UnknownEnumValues } from '../../../common/contract';
import { MAX_LISTED_VALUES } from '../import/enums';
import type { Batch } from '../import/feed';
import type { CellsMessage } from '../import/feed-protocol';
import { FIELD_SEP, RowBuilder } from '../import/rows';
import type { XlsxSheetPlan } from './plan';

/** Worker side: rows of one sheet collected until the batch is sent. */
export class CellBatcher {
  private parts: string[] = [];
  private lines: number[] = [];
  private widths: number[] = [];
  private specials: { at: number; cells: string[] }[] = [];

  get rows(): number {
    return this.lines.length;
  }

  /**
   * A row's cells in the batch string, FIELD_SEP between them; a row with FIELD_SEP inside a cell
   * travels beside it as an array (width -1), so that splitting the string stays exact.
   */
  add(line: number, cells: string[]): void {
    let sep = false;
    for (let i = 0; i < cells.length; i++) if (cells[i].includes(FIELD_SEP)) sep = true;
    if (sep) {
      this.specials.push({ at: this.lines.length, cells });
      this.widths.push(-1);
    } else {
      for (let i = 0; i < cells.length; i++) this.parts.push(cells[i]);
      this.widths.push(cells.length);
    }
    this.lines.push(line);
  }

  take(sheet: number, bytesRead: number): CellsMessage {
    const msg: CellsMessage = {
      type: 'cells',
      sheet,
      data: this.parts.join(FIELD_SEP),
      lines: Float64Array.from(this.lines),
      widths: Int32Array.from(this.widths),
      specials: this.specials,
      bytesRead,
    };
    this.parts = [];
    this.lines = [];
    this.widths = [];
    this.specials = [];
    return msg;
  }
}

/** Importing-thread side: one RowBuilder per sheet, as the worker had. */
export class CellRows {
  private builder: RowBuilder | null = null;
  private sheetIndex = -1;
  private unknown: UnknownEnumValues = {};

  constructor(private readonly sheets: readonly XlsxSheetPlan[]) {}

  batch(msg: CellsMessage): Batch {
    const sheet = this.sheets[msg.sheet];
    if (msg.sheet !== this.sheetIndex) {
      this.finishSheet();
      this.builder = new RowBuilder(sheet.columns, sheet.headers);
      this.sheetIndex = msg.sheet;
    }
    const builder = this.builder!;
    const pieces = msg.data.split(FIELD_SEP);
    let p = 0;
    let special = 0;
    for (let r = 0; r < msg.lines.length; r++) {
      const w = msg.widths[r];
      let cells: string[];
      if (w < 0) cells = msg.specials[special++].cells;
      else {
        cells = pieces.slice(p, p + w);
        p += w;
      }
      const raw = cells.join('\t');
      builder.add(cells, msg.lines[r], raw, 0, raw.length, w < 0, raw.includes('\u0000'));
    }
    const { values, nums, rows, rejected, specials } = builder.take();
    const prefix = `sheet "${sheet.name}", row`;
    return {
      type: 'batch',
      data: values.join(FIELD_SEP),
      nums,
      rows,
      specials,
      rejected: rejected.map((x) => ({ ...x, reason: `${prefix} ${x.line}: ${x.reason}` })),
      bytesRead: msg.bytesRead,
      // Date cells of a sheet that states its zone carry no assumption.
      zoneless: builder.zoneless && sheet.zone === null,
    };
  }

  /** The undocumented enum values of every sheet read (each sheet's builder has its own columns). */
  unknownValues(): UnknownEnumValues {
    this.finishSheet();
    return this.unknown;
  }

  private finishSheet(): void {
    if (this.builder !== null) this.unknown = mergeUnknown(this.unknown, this.builder.enums.result());
    this.builder = null;
  }
}

function mergeUnknown(a: UnknownEnumValues, b: UnknownEnumValues): UnknownEnumValues {
  const out: Record<string, { rows: number; values: readonly string[] }> = { ...a };
  for (const [id, u] of Object.entries(b)) {
    const prev = out[id];
    out[id] = prev
      ? {
          rows: prev.rows + u.rows,
          values: [...new Set([...prev.values, ...u.values])].slice(0, MAX_LISTED_VALUES),
        }
      : u;
  }
  return out;
}
