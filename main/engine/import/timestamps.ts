/**
 * Timestamps as the portal and Excel round trips write them. Zone-less times are read as UTC (the
 * portal exports UTC) unless the import names another zone (assumeZone); the caller reports that
 * assumption in the import summary.
 */
import { utcMs } from '../../../common/dates';
import { wallToInstant } from '../../../common/time-zone';

export interface ParsedTime {
  readonly ms: number;
  /** True when the text carried `Z` or an offset; false when UTC was assumed. */
  readonly zoned: boolean;
}

// ISO 8601 with `T` or a space, optional fraction, optional Z / ±HH[:]MM.
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
// German Excel: DD.MM.YYYY HH:MM:SS.
const DOTTED = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS[month - 1];
}

function build(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  frac: string | undefined,
): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  const ms = frac === undefined ? 0 : Math.floor(Number(frac.padEnd(3, '0').slice(0, 3)));
  return utcMs(y, mo - 1, d, h, mi, s, ms);
}

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** `YYYY-MM-DD HH:MM:SS[.mmm]`, the portal's own form, without regex allocations (millions per import). */
function fastPortal(s: string): number | null {
  if (
    (s.length !== 19 && s.length !== 23) ||
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 32
  )
    return null;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  let ms = 0;
  if (s.length === 23) {
    if (s.charCodeAt(19) !== 46) return null;
    ms = digits(s, 20, 3);
  }
  if (h < 0 || mi < 0 || sec < 0 || ms < 0 || h > 23 || mi > 59 || sec > 59) return null;
  const day = dayStart(s);
  return day === null ? null : day + ((h * 60 + mi) * 60 + sec) * 1000 + ms;
}

// Consecutive records mostly share their day: its start is computed once (Date.UTC is a runtime call).
let lastDay = '';
let lastDayMs = 0;

/** Epoch ms of the `YYYY-MM-DD` that starts `s`, or null when it is not a real date. */
function dayStart(s: string): number | null {
  if (lastDay !== '' && s.startsWith(lastDay)) return lastDayMs;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  lastDay = s.slice(0, 10);
  lastDayMs = utcMs(y, mo - 1, d);
  return lastDayMs;
}

let zonelessZone = 'UTC';
/** Offset per quarter hour of wall-clock time (zone changes fall on quarter hours), for speed. */
const offsets = new Map<number, number>();

/** The zone zone-less times of this thread's imports are in (the parse worker sets it per file). */
export function assumeZone(zone: string | undefined): void {
  zonelessZone = zone ?? 'UTC';
  offsets.clear();
}

/** A zone-less time (wall clock written as UTC ms) as the instant it means in the assumed zone. */
function fromZone(wallMs: number): number {
  if (zonelessZone === 'UTC') return wallMs;
  const quarter = Math.floor(wallMs / 900_000);
  let off = offsets.get(quarter);
  if (off === undefined) {
    if (offsets.size > 100_000) offsets.clear();
    const start = quarter * 900_000;
    off = start - wallToInstant(start, zonelessZone);
    offsets.set(quarter, off);
  }
  return wallMs - off;
}

/** Parses one timestamp; null when the text is not one of the accepted forms or not a real date. */
export function parseTimestamp(input: string): ParsedTime | null {
  const fast = fastPortal(input);
  if (fast !== null) return { ms: fromZone(fast), zoned: false };
  const text = input.trim();
  let m = ISO.exec(text);
  if (m) {
    const base = build(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], m[7]);
    if (base === null) return null;
    const zone = m[8];
    if (zone === undefined) return { ms: fromZone(base), zoned: false };
    if (zone === 'Z' || zone === 'z') return { ms: base, zoned: true };
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offH = Number(digits.slice(0, 2));
    const offM = Number(digits.slice(2, 4));
    if (offH > 23 || offM > 59) return null;
    return { ms: base - sign * (offH * 60 + offM) * 60_000, zoned: true };
  }
  m = DOTTED.exec(text);
  if (m) {
    const ms = build(+m[3], +m[2], +m[1], +m[4], +m[5], +m[6], m[7]);
    return ms === null ? null : { ms: fromZone(ms), zoned: false };
  }
  return null;
}
