/**
 * Blocks asked for ahead of the grid. AG Grid asks for a block only in a timer after its render of
 * the rows at the new position as loading rows: after a jump to row 500 000 of 1M the request left
 * ~55 ms (quiet) to 170-300 ms (load ~15) after the scroll (README, 12x and 14e). The scroll event
 * already tells which rows come into view, so their blocks are asked for then, and the grid's own
 * getRows takes the answer when it asks for exactly the same thing (else it asks as before).
 */
import type { GridApi } from 'ag-grid-community';
import { useEffect, type RefObject } from 'react';
import type { ArgsOf, RecordRow, ResultOf } from '../../../common/contract';
import { gridFilterToConditions, toFilterModel, type ViewFilter } from '../filter';
import { call } from '../ipc';
import { BLOCK_ROWS, currentSort } from './grid-rows';

type Page = ResultOf<'rows:page'>;
type Args = ArgsOf<'rows:page'>;

/** At most this many early requests in flight: a dragged scrollbar passes many positions. */
const MAX_PENDING = 2;
/** Unused answers kept (a position scrolled past); the oldest goes first. */
const MAX_KEPT = 8;

export interface ViewportMetrics {
  readonly scrollTop: number;
  readonly clientHeight: number;
  /** Height of the scrolled content in the DOM (AG Grid caps it and stretches rows over it). */
  readonly scrollHeight: number;
  readonly rowHeight: number;
  readonly rowCount: number;
  /** Rows the grid renders beyond the viewport on each side (its rowBuffer). */
  readonly buffer: number;
}

/**
 * The block numbers the grid renders at this scroll position. Rows taller together than the
 * browser's largest element are stretched over it: AG Grid's RowContainerHeightService offsets
 * every row by scrollTop / (content - viewport) x (rows' height - content), reproduced here.
 */
export function blocksInView(m: ViewportMetrics): number[] {
  if (m.rowCount <= 0 || m.rowHeight <= 0) return [];
  const model = m.rowCount * m.rowHeight;
  const room = m.scrollHeight - m.clientHeight;
  // Stretched only past a viewport's worth: the scrollbar's content is a few pixels short of the
  // rows' height even when nothing is stretched (47 984 for 48 000 px of rows, 1 500 rows).
  const stretched = model > m.scrollHeight + m.clientHeight && room > 0;
  const offset = stretched ? Math.floor((m.scrollTop / room) * (model - m.scrollHeight)) : 0;
  const top = m.scrollTop + offset;
  const first = Math.max(0, Math.floor(top / m.rowHeight) - m.buffer);
  const last = Math.min(m.rowCount - 1, Math.floor((top + m.clientHeight) / m.rowHeight) + m.buffer);
  const blocks: number[] = [];
  for (let b = Math.floor(first / BLOCK_ROWS); b <= Math.floor(last / BLOCK_ROWS); b++) blocks.push(b);
  return blocks;
}

/** The request the grid makes for `block` under `view`, its sort and its column filters. */
export function blockArgs(api: GridApi<RecordRow>, view: ViewFilter, block: number): Args {
  const grid = gridFilterToConditions(api.getFilterModel());
  return {
    filter: toFilterModel({ ...view, grid }),
    sort: currentSort(api),
    startRow: block * BLOCK_ROWS,
    endRow: (block + 1) * BLOCK_ROWS,
  };
}

/** Early page requests by their arguments' JSON; each answer is taken at most once. */
export class BlocksAhead {
  private readonly sent = new Map<string, Promise<Page>>();
  private pending = 0;

  clear(): void {
    this.sent.clear();
  }

  /** Sends `args` now unless it is out already; `force` ignores the in-flight limit (a new search). */
  send(args: Args, force = false): void {
    const key = JSON.stringify(args);
    if (this.sent.has(key) || (!force && this.pending >= MAX_PENDING)) return;
    this.pending++;
    const page = call('rows:page', args);
    const settled = (): void => {
      this.pending--;
    };
    // Unused when the grid asks for something else: its failure is nobody's to report.
    page.then(settled, settled);
    this.sent.set(key, page);
    if (this.sent.size > MAX_KEPT) this.sent.delete(this.sent.keys().next().value ?? key);
  }

  /** The early answer for exactly `args`, or null; taken out (a later ask goes to the engine). */
  take(args: Args): Promise<Page> | null {
    const key = JSON.stringify(args);
    const page = this.sent.get(key) ?? null;
    this.sent.delete(key);
    return page;
  }
}

/**
 * The grid's viewport (AG Grid 36: `ag-grid-viewport`, holding the header too) and its vertical
 * scrollbar, which AG Grid keeps at the same scrollTop; either may scroll first.
 */
const VIEWPORTS = ['ag-grid-viewport', 'ag-body-vertical-scroll-viewport'];

/**
 * Where the grid will render at the scroll of `t`, from the grid's own figures: the rows' height from
 * a rendered row node and the body's height from getVerticalPixelRange (what AG Grid's row renderer
 * and its stretch use). With the range measured from the DOM (a row's bounding box, the scrolled
 * element's clientHeight), block 600 was asked for while the grid rendered row 594 in a fresh-clone
 * CI run of 14e's e2e test (not reproduced since, so which figure was off is not known).
 */
function gridMetrics(
  api: GridApi<RecordRow>,
  el: HTMLElement,
  t: HTMLElement,
  rowCount: number,
  buffer: number,
): ViewportMetrics {
  const range = api.getVerticalPixelRange();
  const rowHeight = api.getRenderedNodes().find((n) => (n.rowHeight ?? 0) > 0)?.rowHeight ?? 0;
  // The scrollbar's content is the stretched container's height (the grid viewport adds the header).
  const bar = el.querySelector('.ag-body-vertical-scroll-viewport');
  return {
    scrollTop: t.scrollTop,
    clientHeight: range.bottom - range.top,
    scrollHeight: bar?.scrollHeight ?? t.scrollHeight,
    rowHeight,
    rowCount,
    buffer,
  };
}

/**
 * On each scroll of the grid's body (a capture listener on `host`: it runs before AG Grid's own on
 * the viewport), sends the blocks coming into view that the grid's cache does not hold yet.
 */
export function useBlocksAhead(
  host: RefObject<HTMLDivElement | null>,
  api: GridApi<RecordRow> | null,
  view: RefObject<ViewFilter>,
  /** The grid's row count once the count is in (before that, nothing is sent ahead). */
  count: RefObject<number | null>,
  ahead: BlocksAhead,
  buffer: number,
): void {
  useEffect(() => {
    const el = host.current;
    if (!el || !api) return;
    const onScroll = (e: Event): void => {
      const t = e.target;
      if (!(t instanceof HTMLElement) || !VIEWPORTS.some((c) => t.classList.contains(c))) return;
      const state: unknown = api.getCacheBlockState();
      const cached = new Set(typeof state === 'object' && state !== null ? Object.keys(state) : []);
      const blocks = blocksInView(gridMetrics(api, el, t, count.current ?? 0, buffer));
      for (const b of blocks) if (!cached.has(String(b))) ahead.send(blockArgs(api, view.current, b));
    };
    el.addEventListener('scroll', onScroll, { capture: true, passive: true });
    return () => el.removeEventListener('scroll', onScroll, { capture: true });
  }, [host, api, view, count, ahead, buffer]);
}
