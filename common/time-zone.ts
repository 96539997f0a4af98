/**
 * The one time-zone rule: every time a person reads or types (grid, drilldown, histogram axes,
 * after:/before:, exports, reports) is in one zone, the display zone: the machine's local zone by
 * default, UTC, or a named IANA zone. Plain TypeScript over Intl: shared by the renderer, the CLI and
 * the engine (import of zone-less files, search dates). No Node, no DOM.
 */

/** The setting as stored: 'local', 'UTC' or an IANA name such as 'Europe/Berlin'. */
export type ZoneSetting = string;
export const LOCAL_ZONE = 'local';
export const ZONE_SETTING_KEY = 'display.timeZone';

/** True for 'UTC' and for IANA names this runtime knows. */
export function isValidZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone === '' || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone of this machine (what "local" means here). */
export function machineZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The IANA zone a setting stands for: 'local' is the machine's zone; unknown names fall back to it. */
export function resolveZone(setting: ZoneSetting | null | undefined): string {
  if (!setting || setting === LOCAL_ZONE || !isValidZone(setting)) return machineZone();
  return setting;
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();
function partsFormat(zone: string): Intl.DateTimeFormat {
  let f = partsFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(zone, f);
  }
  return f;
}

export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly ms: number;
}

/** The wall clock in `zone` at instant `ms`. */
export function wallClock(ms: number, zone: string): WallClock {
  const p: Record<string, number> = {};
  for (const part of partsFormat(zone).formatToParts(new Date(ms)))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  return {
    year: p.year ?? 1970,
    month: p.month ?? 1,
    day: p.day ?? 1,
    hour: p.hour ?? 0,
    minute: p.minute ?? 0,
    second: p.second ?? 0,
    ms: ((ms % 1000) + 1000) % 1000,
  };
}

/** Offset of `zone` from UTC at instant `ms`, in ms (Berlin in summer: +7 200 000). */
export function zoneOffsetMs(ms: number, zone: string): number {
  if (zone === 'UTC') return 0;
  const w = wallClock(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms);
  return asUtc - ms;
}

/**
 * The instant at which `zone`'s wall clock reads `wallMs` (a wall-clock time written as if it were
 * UTC epoch ms). In the hour skipped by a DST change the time is read with the offset before the
 * change; in the repeated hour, the first of the two instants is taken.
 */
export function wallToInstant(wallMs: number, zone: string): number {
  if (zone === 'UTC') return wallMs;
  // A zone changes its offset at most once within a day either side: both offsets are candidates.
  const before = zoneOffsetMs(wallMs - 86_400_000, zone);
  const after = zoneOffsetMs(wallMs + 86_400_000, zone);
  const fits = (t: number): boolean => zoneOffsetMs(t, zone) === wallMs - t;
  const a = wallMs - before;
  const b = wallMs - after;
  const valid = [a, b].filter(fits);
  if (valid.length) return Math.min(...valid);
  // Neither fits when the zone changed its rule in between (rare); one more step from the nearer one.
  const c = wallMs - zoneOffsetMs(a, zone);
  return fits(c) ? c : a;
}

/** "+02:00", "-05:00", "Z" for UTC. */
export function formatOffset(offsetMs: number): string {
  if (offsetMs === 0) return 'Z';
  const sign = offsetMs < 0 ? '-' : '+';
  const min = Math.round(Math.abs(offsetMs) / 60_000);
  return `${sign}${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** "2026-10-05 21:42:00" in `zone`; with `offset`, "2026-10-05 21:42:00+02:00" (ISO 8601 with a space). */
export function formatIsoInZone(
  ms: number,
  zone: string,
  opts: { offset?: boolean; millis?: boolean } = {},
): string {
  const w = wallClock(ms, zone);
  const base = `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  const frac = opts.millis ? `.${pad(w.ms, 3)}` : '';
  return opts.offset ? `${base}${frac}${formatOffset(zoneOffsetMs(ms, zone))}` : `${base}${frac}`;
}

/** A short label for the status bar and dialogs: "Europe/Berlin (UTC+02:00)". */
export function describeZone(zone: string, at = Date.now()): string {
  if (zone === 'UTC') return 'UTC';
  const off = formatOffset(zoneOffsetMs(at, zone));
  return `${zone} (UTC${off === 'Z' ? '' : off})`;
}

/** Zones offered in the pickers: UTC, the machine's, and the IANA list where the runtime has one. */
export function zoneChoices(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const all = typeof intl.supportedValuesOf === 'function' ? intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', machineZone(), ...all])];
}

/**
 * A fast "YYYY-MM-DD HH:MM:SS[.mmm]±HH:MM" writer for one zone, for exports of millions of rows:
 * the zone's offset is looked up once per quarter hour (zones change offset on quarter hours), the
 * rest is arithmetic on the shifted instant.
 */
export function zonedIsoWriter(zone: string): (ms: number, millis: boolean) => string {
  const offsets = new Map<number, number>();
  return (ms, millis) => {
    const quarter = Math.floor(ms / 900_000);
    let off = offsets.get(quarter);
    if (off === undefined) {
      if (offsets.size > 100_000) offsets.clear();
      off = zoneOffsetMs(quarter * 900_000, zone);
      offsets.set(quarter, off);
    }
    const d = new Date(ms + off);
    const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    return `${base}${millis ? `.${pad(d.getUTCMilliseconds(), 3)}` : ''}${formatOffset(off)}`;
  };
}
