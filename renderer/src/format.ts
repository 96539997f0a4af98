/**
 * Display formatting shared by the grid, dialogs and panels; pure functions over numbers and strings.
 * Times are shown in the display zone (zone.ts), the one zone of every time in the window.
 */
import { displayZone } from './zone/displayZone';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes)) return '';
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(v < 10 ? 1 : 0)} ${UNITS[i] ?? 'B'}`;
}

const countFmt = new Intl.NumberFormat(undefined);
export function formatCount(n: number | null | undefined): string {
  return n == null ? '–' : countFmt.format(n);
}

// Formatters per display zone: building one costs far more than using it (the grid formats thousands).
const timeFmts = new Map<string, Intl.DateTimeFormat>();
const shortFmts = new Map<string, Intl.DateTimeFormat>();

function cached(
  map: Map<string, Intl.DateTimeFormat>,
  zone: string,
  opts: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let f = map.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, { ...opts, timeZone: zone });
    map.set(zone, f);
  }
  return f;
}

/** Date and time to the second in the display zone (or `zone`). */
export function formatTime(ms: number | null | undefined, zone = displayZone()): string {
  if (ms == null || !Number.isFinite(ms)) return '';
  return cached(timeFmts, zone, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
}

/** "Oct 5, 19:42" in the display zone: axis labels and the drilldown summary. */
export function formatShortTime(ms: number, zone = displayZone()): string {
  return cached(shortFmts, zone, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
}

export function formatRate(rowsPerSecond: number): string {
  if (!Number.isFinite(rowsPerSecond) || rowsPerSecond <= 0) return '';
  return `${countFmt.format(Math.round(rowsPerSecond))} rows/s`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${s % 60} s`;
}

/** Remaining time from bytes done, bytes total and elapsed time; null while there is no basis yet. */
export function estimateRemainingMs(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || total <= 0 || elapsedMs < 500 || done >= total) return null;
  return (elapsedMs / done) * (total - done);
}

/** A value as a person would paste it into a ticket: empty for null, tabs and newlines flattened. */
export function plain(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'string') return value.replace(/[\t\r\n]+/g, ' ');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function fileName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i === -1 ? path : path.slice(i + 1);
}
