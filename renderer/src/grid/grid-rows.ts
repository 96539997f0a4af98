/**
 * The result grid's plain helpers (no React): the grid's sort as the engine's sort keys, the saved
 * layout, and clipboard copies of rows and cells (blocks asked for ahead: blocks-ahead.ts).
 */
import type { ColumnState, GridApi } from 'ag-grid-community';
import { COLUMNS, isColumnId } from '../../../common/columns';
import type { RecordRow, SortKey } from '../../../common/contract';
import { plain } from '../format';

/** Rows per block the grid asks the engine for. */
export const BLOCK_ROWS = 100;

export function sortKeys(model: readonly { colId: string; sort: 'asc' | 'desc' }[]): SortKey[] {
  return model.flatMap((m) => (isColumnId(m.colId) ? [{ column: m.colId, dir: m.sort }] : []));
}

export async function copy(text: string, notify: (t: string) => void, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    notify(`Copied ${what}`);
  } catch {
    notify('Copying was refused by the system');
  }
}

/** The grid's sort, most significant column first. */
export function currentSort(api: GridApi<RecordRow>): SortKey[] {
  return sortKeys(
    api
      .getColumnState()
      .flatMap((c) => (c.sort ? [{ colId: c.colId, sort: c.sort, index: c.sortIndex ?? 0 }] : []))
      .sort((a, b) => a.index - b.index),
  );
}

/** A saved layout, or null when the text is not one (an older or damaged setting). */
export function parseLayout(saved: string): ColumnState[] | null {
  try {
    const state: unknown = JSON.parse(saved);
    return Array.isArray(state) ? (state as ColumnState[]) : null;
  } catch {
    return null;
  }
}

/**
 * Whether the row with record id `id` is in the grid's DOM with its cells, loaded (not AG Grid's
 * loading row): the grid takes a block in one task and draws it in its animation frames and React
 * tasks after that (see rowsSignal.ts).
 */
export function rowDrawn(host: HTMLElement | null, id: number | string): boolean {
  const sel = `.ag-row[row-id="${CSS.escape(String(id))}"]:not(.ag-row-loading) .ag-cell`;
  return host?.querySelector(sel) != null;
}

export function rowAsTsv(row: RecordRow): string {
  return COLUMNS.map((c) => plain(row[c.id])).join('\t');
}
