/**
 * The result grid's plain helpers (no React): the grid's sort as the engine's sort keys, the first
 * block's request sent ahead of the grid, the saved layout, and clipboard copies of rows and cells.
 */
import type { ColumnState, GridApi } from 'ag-grid-community';
import { COLUMNS, isColumnId } from '../../../common/columns';
import type { RecordRow, ResultOf, SortKey } from '../../../common/contract';
import { gridFilterToConditions, toFilterModel, type ViewFilter } from '../filter';
import { plain } from '../format';
import { call } from '../ipc';

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

/** The first block's request as the grid will make it for `view`, sent now (see makeDatasource). */
export function firstBlock(
  api: GridApi<RecordRow>,
  view: ViewFilter,
): { readonly key: string; readonly page: Promise<ResultOf<'rows:page'>> } {
  const grid = gridFilterToConditions(api.getFilterModel());
  const args = {
    filter: toFilterModel({ ...view, grid }),
    sort: currentSort(api),
    startRow: 0,
    endRow: BLOCK_ROWS,
  };
  const page = call('rows:page', args);
  // Unused when the grid asks for something else first: its failure is nobody's to report.
  page.catch(() => undefined);
  return { key: JSON.stringify(args), page };
}

export function rowAsTsv(row: RecordRow): string {
  return COLUMNS.map((c) => plain(row[c.id])).join('\t');
}
