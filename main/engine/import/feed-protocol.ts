/** Messages between the importing thread and its parse worker. */
import type { Delimiter, EncodingName, RejectedRow, UnknownEnumValues } from '../../../common/contract';
import type { XlsxPlan } from '../xlsx/plan';

export interface ParserInit {
  readonly path: string;
  readonly encoding: EncodingName;
  /**
   * The encoding was detected, not chosen: an ASCII-only start may still turn out to be Windows-1252,
   * and a detected Windows-1252 file holding UTF-8 asks to be read again as UTF-8 ('encoding').
   */
  readonly auto: boolean;
  readonly delimiter: Delimiter;
  readonly columns: readonly (string | null)[];
  readonly headers: readonly string[];
  /** Physical lines before the header (Excel's `sep=` line). */
  readonly skipLines: number;
  /** Bytes per read; tests pass small ones to move chunk boundaries around (default 96 KiB). */
  readonly chunkBytes?: number;
  /** Set for an Excel workbook: the xlsx parse worker reads these sheets instead. */
  readonly xlsx?: XlsxPlan;
  /** Zone of zone-less times (IANA name or 'UTC'); absent = UTC. */
  readonly timeZone?: string;
}

export interface SpecialRow {
  /** Index of the row within its batch. */
  readonly row: number;
  /** Its TEXT_WIDTH values. */
  readonly values: readonly string[];
}

/**
 * The xlsx worker's rows as cell text (main/engine/xlsx/cell-batches.ts); the importing thread
 * turns each into one batch.
 */
export interface CellsMessage {
  readonly type: 'cells';
  /** Index of the sheet in ParserInit.xlsx.sheets. */
  readonly sheet: number;
  /** The cells of the rows of width >= 0, in order, joined by FIELD_SEP. */
  readonly data: string;
  /** Sheet row number per row; its buffer is transferred. */
  readonly lines: Float64Array<ArrayBuffer>;
  /** Cells per row, or -1 for a row in `specials` (a cell holds FIELD_SEP). */
  readonly widths: Int32Array<ArrayBuffer>;
  readonly specials: readonly { readonly at: number; readonly cells: string[] }[];
  readonly bytesRead: number;
}

export type FromParser =
  | CellsMessage
  | {
      readonly type: 'batch';
      /** TEXT_WIDTH values per row joined by FIELD_SEP; '' for a batch without rows. */
      readonly data: string;
      /** NUM_WIDTH numbers per row (NaN = NULL); its buffer is transferred, not copied. */
      readonly nums: Float64Array<ArrayBuffer>;
      readonly rows: number;
      readonly rejected: readonly RejectedRow[];
      /** Rows whose text holds FIELD_SEP: their values travel here, placeholders stand in `data`. */
      readonly specials: readonly SpecialRow[];
      readonly bytesRead: number;
      readonly zoneless: boolean;
    }
  | { readonly type: 'encoding' }
  | {
      readonly type: 'end';
      readonly contentHash: string;
      /** The encoding the file was read in (a detected UTF-8 start may have become Windows-1252). */
      readonly encoding: EncodingName;
      /** File offset of the first byte read as Windows-1252 after an ASCII start read as UTF-8. */
      readonly switchedAt: number | null;
      readonly unknownValues: UnknownEnumValues;
    }
  | { readonly type: 'error'; readonly message: string };

/** How the reason of a row rejected for an invalid byte begins (the importer counts them). */
export const INVALID_BYTE_REASON = 'not valid ';
