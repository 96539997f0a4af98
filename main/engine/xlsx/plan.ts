/** What the importing thread found in a workbook and hands to the xlsx parse worker. */
import type { ColumnId } from '../../../common/columns';

export interface XlsxSheetPlan {
  readonly name: string;
  readonly part: string;
  /** Sheet row number of the header; rows up to it are skipped. */
  readonly headerRow: number;
  readonly columns: readonly (ColumnId | null)[];
  readonly headers: readonly string[];
  /** IANA zone its date cells are in (from a header note), or null for UTC. */
  readonly zone: string | null;
}

export interface XlsxPlan {
  readonly sheets: readonly XlsxSheetPlan[];
  /** Shared-string bytes kept in memory before the rest spills to disk (tests set it low). */
  readonly memoryBudget?: number;
}

export type WorkbookKind = 'xlsx' | 'cfb' | null;

/** A workbook by its first bytes: a zip (.xlsx) or an OLE compound file (.xls, or a password-protected .xlsx). */
export function workbookKind(sample: Buffer): WorkbookKind {
  if (sample.length >= 4 && sample[0] === 0x50 && sample[1] === 0x4b && (sample[2] === 3 || sample[2] === 5))
    return 'xlsx';
  const cfb = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  if (sample.length >= 8 && cfb.every((b, i) => sample[i] === b)) return 'cfb';
  return null;
}
