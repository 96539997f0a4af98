/**
 * Remembered window size and position. Restored bounds are clamped to the displays present now, so
 * a window last seen on an unplugged monitor comes back visible instead of off-screen.
 */
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowState {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
  readonly maximized: boolean;
}

export const DEFAULT_WINDOW: WindowState = { width: 1280, height: 800, maximized: false };
export const MIN_WIDTH = 800;
export const MIN_HEIGHT = 500;
/** At least this much of the title bar must be on a display for the window to count as visible. */
const MIN_VISIBLE = 100;

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Parses what was saved, tolerating a missing, truncated or hand-edited file. */
export function parseWindowState(raw: unknown): WindowState {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_WINDOW;
  const o = raw as Record<string, unknown>;
  if (!finite(o.width) || !finite(o.height)) return DEFAULT_WINDOW;
  const hasPos = finite(o.x) && finite(o.y);
  return {
    ...(hasPos ? { x: Math.round(o.x as number), y: Math.round(o.y as number) } : {}),
    width: Math.round(o.width),
    height: Math.round(o.height),
    maximized: o.maximized === true,
  };
}

function overlap(a: Rect, b: Rect): { w: number; h: number } {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { w: Math.max(0, w), h: Math.max(0, h) };
}

/**
 * Fits a saved state to the current displays' work areas: size no larger than the largest work
 * area (and no smaller than the minimum), position kept only if the top strip is on some display,
 * else the window is centred on the primary one (the first work area).
 */
export function clampToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  if (workAreas.length === 0) return state;
  const primary = workAreas[0];
  const maxW = Math.max(...workAreas.map((a) => a.width));
  const maxH = Math.max(...workAreas.map((a) => a.height));
  const width = Math.min(Math.max(state.width, Math.min(MIN_WIDTH, maxW)), maxW);
  const height = Math.min(Math.max(state.height, Math.min(MIN_HEIGHT, maxH)), maxH);
  if (state.x !== undefined && state.y !== undefined) {
    const titleBar: Rect = { x: state.x, y: state.y, width, height: 30 };
    const host = workAreas.find((a) => {
      const o = overlap(titleBar, a);
      return o.w >= Math.min(MIN_VISIBLE, width) && o.h > 0;
    });
    if (host) {
      // Keep it where it was, but pull it fully inside the display it is mostly on.
      const x = Math.min(Math.max(state.x, host.x), host.x + host.width - width);
      const y = Math.min(Math.max(state.y, host.y), host.y + host.height - height);
      return { x, y, width, height, maximized: state.maximized };
    }
  }
  return {
    x: Math.round(primary.x + (primary.width - width) / 2),
    y: Math.round(primary.y + (primary.height - height) / 2),
    width,
    height,
    maximized: state.maximized,
  };
}

export function loadWindowState(file: string): WindowState {
  try {
    return parseWindowState(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return DEFAULT_WINDOW;
  }
}

/** Written via a temp file and rename, so a crash mid-write never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}
