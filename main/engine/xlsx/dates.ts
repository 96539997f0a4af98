/**
 * Excel date serials <-> epoch milliseconds, and the display time zone a workbook's times are in.
 * A serial counts days since 1899-12-30 (the 1900 system, with Lotus's phantom 29 Feb 1900 folded
 * into that base) or since 1904-01-01; its fraction is the time of day in whatever zone the writer
 * used. The CSV path stores UTC epoch ms; both directions here meet it exactly to the millisecond.
 */

const MS_PER_DAY = 86_400_000;
/** Days from 1899-12-30 to 1970-01-01. */
const EPOCH_1900 = 25_569;
/** Days from 1904-01-01 to 1970-01-01. */
const EPOCH_1904 = 24_107;

/** Local wall-clock ms (as if UTC) of a serial; rounded to the ms like Excel's own display. */
export function serialToWallMs(serial: number, date1904: boolean): number {
  return Math.round((serial - (date1904 ? EPOCH_1904 : EPOCH_1900)) * MS_PER_DAY);
}

export function wallMsToSerial(ms: number): number {
  return ms / MS_PER_DAY + EPOCH_1900;
}

/** Offset (ms to add to UTC) of an IANA zone at an instant, cached per quarter hour (all transitions fall on one). */
export class ZoneOffsets {
  private readonly cache = new Map<number, number>();
  private readonly fmt: Intl.DateTimeFormat | null;

  constructor(readonly zone: string) {
    this.fmt =
      zone === 'UTC'
        ? null
        : new Intl.DateTimeFormat('en-US', {
            timeZone: zone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          });
  }

  /** Throws RangeError for a name Intl does not know. */
  static check(zone: string): void {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  }

  at(utcMs: number): number {
    if (this.fmt === null) return 0;
    const q = Math.floor(utcMs / 900_000);
    const hit = this.cache.get(q);
    if (hit !== undefined) return hit;
    const base = q * 900_000;
    const p: Record<string, number> = {};
    for (const part of this.fmt.formatToParts(base)) if (part.type !== 'literal') p[part.type] = +part.value;
    const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    const off = wall - base;
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(q, off);
    return off;
  }

  toWall(utcMs: number): number {
    return utcMs + this.at(utcMs);
  }

  /**
   * UTC ms of a wall-clock time in this zone. In the repeated hour at the end of summer time a wall
   * time names two instants; the earlier is taken (the README notes it; UTC exports round-trip exactly).
   */
  fromWall(wallMs: number): number {
    // The offsets a day before and after cover both sides of any transition near this time.
    const before = this.at(wallMs - 86_400_000);
    let best = NaN;
    for (const off of [before, this.at(wallMs), this.at(wallMs + 86_400_000)]) {
      const utc = wallMs - off;
      if (this.at(utc) === off && !(utc >= best)) best = utc;
    }
    // A wall time skipped when summer time starts: read with the offset before the change.
    return Number.isNaN(best) ? wallMs - before : best;
  }
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const DAY_MS = 86_400_000;
/** Years 1000-9999: the range in which the date text is always `YYYY-MM-DD` (four plain digits). */
const FIRST_MS = Date.UTC(1000, 0, 1);
const END_MS = Date.UTC(10000, 0, 1);
let lastDay = NaN;
let lastDayText = '';

/**
 * The portal's own timestamp text (`YYYY-MM-DD HH:MM:SS`, `.mmm` only when there are ms), in UTC.
 * A date cell per time column and row: the Date object and seven padStart calls per cell were 4 % of
 * the sheet's parse (14g profile); consecutive rows share their day, so its text is kept.
 */
export function portalTime(utcMs: number): string {
  if (!(utcMs >= FIRST_MS && utcMs < END_MS)) return slowPortalTime(utcMs);
  // As new Date() reads it: a fraction of a millisecond is cut toward zero.
  const t = Math.trunc(utcMs);
  const day = Math.floor(t / DAY_MS);
  if (day !== lastDay) {
    lastDayText = slowPortalTime(day * DAY_MS).slice(0, 11);
    lastDay = day;
  }
  const ms = t - day * DAY_MS;
  const sec = Math.floor(ms / 1000);
  const frac = ms - sec * 1000;
  const text = `${lastDayText}${TWO[Math.floor(sec / 3600)]}:${TWO[Math.floor(sec / 60) % 60]}:${TWO[sec % 60]}`;
  return frac === 0 ? text : `${text}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
}

function slowPortalTime(utcMs: number): string {
  const d = new Date(utcMs);
  const ms = d.getUTCMilliseconds();
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}` +
    (ms === 0 ? '' : `.${pad(ms, 3)}`)
  );
}

/** Built-in number formats that show a date or time (ECMA-376 18.8.30, plus the East Asian ones). */
const BUILTIN_DATE_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

/**
 * Whether a number format shows a date/time: built-in id, or a custom code with y/m/d/h/s outside
 * quoted text, escapes and [colour]/[condition] brackets ([h] [mm] [ss] elapsed times count).
 */
export function isDateFormat(id: number, code: string | undefined): boolean {
  if (code === undefined) return BUILTIN_DATE_IDS.has(id);
  // The first section decides (positive numbers); the rest repeats it for negatives/zero/text.
  const first = code.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/)[0] ?? '';
  const bare = first
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/_.|\*./g, '')
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, '');
  return /[ymdhs]/i.test(bare.replace(/General/gi, ''));
}
